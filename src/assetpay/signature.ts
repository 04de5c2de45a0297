/**
 * The `X-AssetPay-Signature` scheme: `t=<ISO time>,id=<delivery id>,s=<hex>[,s1=<hex>]`, where
 * each signature is lower-case hex HMAC-SHA256 under the API secret of `id + "." + t + "." +
 * rawBody`. `s1` is present during a secret rotation and is signed with the previous secret.
 * Verification returns a typed result with a named reason, like the official SDK.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-assetpay-signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function computeSignature(
  secret: string,
  deliveryId: string,
  timestamp: string,
  rawBody: string | Buffer,
): string {
  return createHmac("sha256", secret).update(`${deliveryId}.${timestamp}.`).update(rawBody).digest("hex");
}

/** Builds the header value AssetPay sends; `previousSecret` adds `s1` as during a rotation. */
export function buildSignatureHeader(opts: {
  secret: string;
  previousSecret?: string;
  deliveryId: string;
  timestamp: string;
  rawBody: string | Buffer;
}): string {
  const s = computeSignature(opts.secret, opts.deliveryId, opts.timestamp, opts.rawBody);
  let header = `t=${opts.timestamp},id=${opts.deliveryId},s=${s}`;
  if (opts.previousSecret !== undefined) {
    header += `,s1=${computeSignature(opts.previousSecret, opts.deliveryId, opts.timestamp, opts.rawBody)}`;
  }
  return header;
}

export type SignatureFailure =
  | "missing_header"
  | "malformed"
  | "timestamp_out_of_range"
  | "signature_mismatch";

export type SignatureResult =
  | { ok: true; deliveryId: string; timestamp: string }
  | { ok: false; reason: SignatureFailure };

export function parseSignatureHeader(value: string): { t?: string; id?: string; s: string[] } {
  const out: { t?: string; id?: string; s: string[] } = { s: [] };
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (key === "t") out.t = val;
    else if (key === "id") out.id = val;
    else if (key === "s" || key === "s1") out.s.push(val);
  }
  return out;
}

function hexEqual(a: string, b: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(b)) return false;
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b.toLowerCase(), "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifySignature(opts: {
  header: string | undefined;
  rawBody: string | Buffer;
  secret: string;
  /** Accept a signature made with this secret too (our side of a rotation). */
  previousSecret?: string;
  toleranceSeconds?: number;
  nowMs?: number;
}): SignatureResult {
  if (opts.header === undefined || opts.header.trim() === "") return { ok: false, reason: "missing_header" };
  const parsed = parseSignatureHeader(opts.header);
  if (!parsed.t || !parsed.id || parsed.s.length === 0) return { ok: false, reason: "malformed" };
  const ts = Date.parse(parsed.t);
  if (Number.isNaN(ts)) return { ok: false, reason: "malformed" };
  const tolerance = (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
  if (Math.abs((opts.nowMs ?? Date.now()) - ts) > tolerance)
    return { ok: false, reason: "timestamp_out_of_range" };
  const secrets = opts.previousSecret === undefined ? [opts.secret] : [opts.secret, opts.previousSecret];
  for (const secret of secrets) {
    const expected = computeSignature(secret, parsed.id, parsed.t, opts.rawBody);
    if (parsed.s.some((given) => hexEqual(expected, given))) {
      return { ok: true, deliveryId: parsed.id, timestamp: parsed.t };
    }
  }
  return { ok: false, reason: "signature_mismatch" };
}
