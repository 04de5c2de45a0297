/**
 * Client tokens (JWT, HS256) exactly as AssetPay documents them: a JOSE header carrying the
 * merchant id as the non-standard `userId` and no `typ`, claims `{merchantId, client, iat, exp}`,
 * signed with the merchant's API secret. Hand-written rather than a JWT library on purpose:
 * those add `typ` and reorder or validate claims in ways the API's own format does not match.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export interface ClientData {
  totalWager?: number;
  registrationDate?: string | null;
  kycHash?: string;
  kycLevel?: number;
  fiatDeposits?: boolean;
  cryptoDeposits?: boolean;
}

export interface ClientClaims {
  merchantId: string;
  client: { steamID: string; tradeUrl: string; clientData?: ClientData; clientId?: string };
  iat: number;
  exp: number;
}

export interface MintInput {
  merchantId: string;
  apiSecret: string;
  steamId: string;
  tradeUrl: string;
  clientId?: string;
  clientData?: ClientData;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  lifetimeSeconds?: number;
}

function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString("base64url");
}

function sign(secret: string, signingInput: string): string {
  return createHmac("sha256", secret).update(signingInput).digest("base64url");
}

export function mintClientToken(input: MintInput): { token: string; claims: ClientClaims } {
  const iat = input.now ?? Math.floor(Date.now() / 1000);
  const lifetime = input.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS;
  if (lifetime <= 0 || lifetime > TOKEN_LIFETIME_SECONDS) {
    throw new RangeError("client tokens live at most 24 hours");
  }
  const client: ClientClaims["client"] = { steamID: input.steamId, tradeUrl: input.tradeUrl };
  if (input.clientData !== undefined) client.clientData = input.clientData;
  if (input.clientId !== undefined) client.clientId = input.clientId;
  const claims: ClientClaims = { merchantId: input.merchantId, client, iat, exp: iat + lifetime };
  const head = b64url(JSON.stringify({ alg: "HS256", userId: input.merchantId }));
  const body = b64url(JSON.stringify(claims));
  const signingInput = `${head}.${body}`;
  return { token: `${signingInput}.${sign(input.apiSecret, signingInput)}`, claims };
}

export interface DecodedToken {
  header: { alg: string; userId?: string; [k: string]: unknown };
  claims: Record<string, unknown>;
}

/** Reads a token's header and claims without checking the signature. */
export function decodeToken(token: string): DecodedToken {
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("not a JWT");
  const [h, c] = parts as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString("utf8")),
    claims: JSON.parse(Buffer.from(c, "base64url").toString("utf8")),
  };
}

export type TokenFailure = "malformed" | "bad_algorithm" | "bad_signature" | "expired" | "merchant_mismatch";

/**
 * Verifies a client token the way the API does (used by the sandbox): HS256 under the secret
 * of the merchant named in `header.userId`, `merchantId` claim equal to it, `exp` in the future.
 */
export function verifyClientToken(
  token: string,
  secretFor: (merchantId: string) => string | undefined,
  nowSeconds: number,
): { ok: true; claims: ClientClaims } | { ok: false; reason: TokenFailure } {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  let decoded: DecodedToken;
  try {
    decoded = decodeToken(token);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (decoded.header.alg !== "HS256") return { ok: false, reason: "bad_algorithm" };
  const merchantId = decoded.header.userId;
  const secret = typeof merchantId === "string" ? secretFor(merchantId) : undefined;
  if (secret === undefined) return { ok: false, reason: "bad_signature" };
  const expected = Buffer.from(sign(secret, `${parts[0]}.${parts[1]}`));
  const given = Buffer.from(parts[2] ?? "");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "bad_signature" };
  }
  const c = decoded.claims;
  if (c.merchantId !== merchantId) return { ok: false, reason: "merchant_mismatch" };
  if (typeof c.exp !== "number" || c.exp <= nowSeconds) return { ok: false, reason: "expired" };
  const client = c.client as ClientClaims["client"] | undefined;
  if (!client || typeof client.steamID !== "string" || typeof client.tradeUrl !== "string") {
    return { ok: false, reason: "malformed" };
  }
  return { ok: true, claims: c as unknown as ClientClaims };
}
