/**
 * Dashboard sessions as signed cookies: `<payload>.<hmac>`, the payload naming the moderator and
 * when the session ends. Nothing is stored server-side; the signing key is derived from the
 * AssetPay API secret (HKDF, its own label), so every instance on the same secret accepts the
 * same cookies and rotating the secret signs everyone out. Admin rights are not in the cookie:
 * they are checked again on every request.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { MemberId } from "../ledger.ts";

export interface Session {
  memberId: MemberId;
  /** Random per sign-in, for the audit. */
  id: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface Sessions {
  issue(memberId: MemberId): { cookie: string; session: Session };
  /** The session a cookie value carries, if its signature holds and it has not ended. */
  verify(cookie: string | undefined): Session | undefined;
  readonly lifetimeMs: number;
}

export function deriveSessionKey(apiSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", apiSecret, "skinbridge", "dashboard session cookies v1", 32));
}

export function createSessions(deps: { key: Buffer; lifetimeMs: number; now: () => number }): Sessions {
  const sign = (payload: string) => createHmac("sha256", deps.key).update(payload).digest("base64url");
  return {
    lifetimeMs: deps.lifetimeMs,
    issue(memberId) {
      const session: Session = {
        memberId,
        id: randomBytes(9).toString("base64url"),
        expiresAt: deps.now() + deps.lifetimeMs,
      };
      const payload = Buffer.from(JSON.stringify(session)).toString("base64url");
      return { cookie: `${payload}.${sign(payload)}`, session };
    },
    verify(cookie) {
      if (!cookie || cookie.length > 1024) return undefined;
      const dot = cookie.indexOf(".");
      if (dot <= 0) return undefined;
      const payload = cookie.slice(0, dot);
      const given = Buffer.from(cookie.slice(dot + 1));
      const expected = Buffer.from(sign(payload));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let session: Session;
      try {
        session = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Session;
      } catch {
        return undefined;
      }
      if (typeof session.memberId !== "string" || typeof session.expiresAt !== "number") return undefined;
      // A session signed for longer than this instance allows is cut to its own limit as well.
      if (deps.now() >= session.expiresAt || session.expiresAt - deps.now() > deps.lifetimeMs)
        return undefined;
      return session;
    },
  };
}
