/**
 * Client tokens per member. A token is minted locally when the merchant id is known (no round
 * trip, no rate-limit bucket spent) and fetched from `/auth/authenticate-client` otherwise. Each
 * is cached under the member's identity until five minutes before it expires, so a call never
 * leaves with a token that could lapse on the way.
 */
import { createHash } from "node:crypto";
import { invalidInput } from "./errors.ts";
import { STEAM_ID_PATTERN, TRADE_URL_PATTERN } from "./schemas.ts";
import { type ClientData, decodeToken, mintClientToken } from "./token.ts";

/** Who a client token speaks for: our member, their Steam account and trade URL. */
export interface ClientIdentity {
  memberId: string;
  steamId: string;
  tradeUrl: string;
}

/** Where tokens are kept; a Keyv instance satisfies it. */
export interface TokenStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<unknown>;
  delete?(key: string): Promise<unknown>;
}

export interface TokenCache {
  /** A token valid for at least the refresh margin; `fresh` skips the cache. */
  get(identity: ClientIdentity, opts?: { fresh?: boolean; clientData?: ClientData }): Promise<string>;
  /** Forgets the member's token, e.g. after AssetPay called it invalid. */
  invalidate(identity: ClientIdentity): Promise<void>;
}

export interface TokenCacheOptions {
  apiSecret: string;
  merchantId?: string;
  /** Asks AssetPay for a token; used when no merchant id is configured. */
  authenticate: (identity: ClientIdentity, clientData: ClientData | undefined) => Promise<string>;
  store?: TokenStore;
  now: () => number;
  refreshBeforeMs?: number;
}

export const REFRESH_BEFORE_MS = 5 * 60 * 1000;
// A token whose expiry we cannot read is still used, but only for this long.
const UNKNOWN_EXPIRY_MS = 60 * 60 * 1000;
const KEY_PREFIX = "assetpay:client-token:";

export function tokenKey(identity: ClientIdentity): string {
  const urlHash = createHash("sha256").update(identity.tradeUrl).digest("hex").slice(0, 16);
  return `${KEY_PREFIX}${identity.memberId}:${identity.steamId}:${urlHash}`;
}

/** Checks what AssetPay would check, since a locally minted token skips the server's validation. */
export function validateIdentity(operation: string, identity: ClientIdentity): void {
  const fields: Record<string, string> = {};
  if (identity.memberId.length === 0 || identity.memberId.length > 128) {
    fields["clientId"] = "must be 1 to 128 characters";
  }
  if (!STEAM_ID_PATTERN.test(identity.steamId)) fields["clientSteamId"] = "must be a SteamID64";
  if (!TRADE_URL_PATTERN.test(identity.tradeUrl))
    fields["clientTradeUrl"] = "must be a Steam trade offer URL";
  if (Object.keys(fields).length > 0) throw invalidInput(operation, fields);
}

/** An in-process store with expiry, for one instance without Redis. */
export function createMemoryTokenStore(now: () => number = Date.now): TokenStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    async set(key, value, ttlMs) {
      // Sweep now and then so departed members do not pile up in a long-running process.
      if (entries.size >= 10_000) {
        const t = now();
        for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
      }
      entries.set(key, { value, expiresAt: now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

function expiryMs(token: string, now: number): number {
  try {
    const exp = decodeToken(token).claims["exp"];
    if (typeof exp === "number" && Number.isFinite(exp)) return exp * 1000;
  } catch {
    // Not a JWT we can read: fall through to the conservative default.
  }
  return now + UNKNOWN_EXPIRY_MS;
}

export function createTokenCache(opts: TokenCacheOptions): TokenCache {
  const store = opts.store ?? createMemoryTokenStore(opts.now);
  const margin = opts.refreshBeforeMs ?? REFRESH_BEFORE_MS;
  // Concurrent calls for one member share a single mint instead of racing.
  const inflight = new Map<string, Promise<string>>();

  function usable(token: string): boolean {
    return expiryMs(token, opts.now()) - margin > opts.now();
  }

  async function mint(identity: ClientIdentity, clientData: ClientData | undefined): Promise<string> {
    if (opts.merchantId !== undefined) {
      const input = {
        merchantId: opts.merchantId,
        apiSecret: opts.apiSecret,
        steamId: identity.steamId,
        tradeUrl: identity.tradeUrl,
        clientId: identity.memberId,
        now: Math.floor(opts.now() / 1000),
      };
      return mintClientToken(clientData === undefined ? input : { ...input, clientData }).token;
    }
    return opts.authenticate(identity, clientData);
  }

  async function mintAndStore(
    key: string,
    identity: ClientIdentity,
    clientData: ClientData | undefined,
  ): Promise<string> {
    const token = await mint(identity, clientData);
    const ttl = expiryMs(token, opts.now()) - margin - opts.now();
    if (ttl > 0) await store.set(key, token, ttl);
    return token;
  }

  return {
    async get(identity, getOpts = {}) {
      validateIdentity("authenticateClient", identity);
      const key = tokenKey(identity);
      if (getOpts.fresh !== true && getOpts.clientData === undefined) {
        const cached = await store.get(key);
        if (cached !== undefined && usable(cached)) return cached;
        const pending = inflight.get(key);
        if (pending !== undefined) return pending;
      }
      const minting = mintAndStore(key, identity, getOpts.clientData);
      inflight.set(key, minting);
      try {
        return await minting;
      } finally {
        if (inflight.get(key) === minting) inflight.delete(key);
      }
    },
    async invalidate(identity) {
      const key = tokenKey(identity);
      await store.delete?.(key);
    },
  };
}
