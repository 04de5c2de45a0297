/**
 * Password-less sign-in for the dashboard: `/admin dashboard` mints a single-use link bound to
 * the moderator who asked, valid for a few minutes. Only a hash of the link's token is stored, so
 * a copy of the store never holds a usable link; redeeming deletes it, and of two browsers racing
 * with the same link only the one whose delete removed it gets a session.
 */
import { createHash, randomBytes } from "node:crypto";
import { getAs, type KV } from "../kv.ts";
import type { MemberId } from "../ledger.ts";

export interface MintedLink {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface StoredLink {
  memberId: MemberId;
  expiresAt: number;
}

export type Redeemed = { ok: true; memberId: MemberId } | { ok: false; why: "unknown" | "expired" };

export interface SignInLinks {
  mint(memberId: MemberId): Promise<MintedLink>;
  /** Uses the link up: the second redeem of the same token is `unknown`. */
  redeem(token: string): Promise<Redeemed>;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function tokenDigest(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function createSignInLinks(deps: { kv: KV; ttlMs: number; now: () => number }): SignInLinks {
  const key = (token: string) => `dashboard-link:${tokenDigest(token)}`;
  return {
    async mint(memberId) {
      const token = randomBytes(32).toString("base64url");
      const expiresAt = deps.now() + deps.ttlMs;
      const stored: StoredLink = { memberId, expiresAt };
      // The store's TTL only cleans up; the expiry check below is what refuses a late link.
      await deps.kv.set(key(token), stored, deps.ttlMs + 60_000);
      return { token, expiresAt };
    },
    async redeem(token) {
      if (!TOKEN_SHAPE.test(token)) return { ok: false, why: "unknown" };
      const stored = await getAs<StoredLink>(deps.kv, key(token));
      if (!stored) return { ok: false, why: "unknown" };
      if ((await deps.kv.delete(key(token))) !== true) return { ok: false, why: "unknown" };
      if (deps.now() >= stored.expiresAt) return { ok: false, why: "expired" };
      return { ok: true, memberId: stored.memberId };
    },
  };
}
