/**
 * Merchant and client authentication. Merchant routes take the `api-key` header; client routes a
 * client JWT in `Authorization`, raw (as the docs show) or as `Bearer <token>` (as the SDK and
 * the contract send it). Tokens are checked against wall-clock time, not the virtual clock: the
 * bot mints them with its own clock, and advancing a trade by a week must not log everyone out.
 */
import type { IncomingHttpHeaders } from "node:http";
import { verifyClientToken } from "../assetpay/token.ts";
import type { SandboxConfig } from "./context.ts";
import { ApiError } from "./errors.ts";
import type { Caller } from "./router.ts";

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function authenticateApiKey(config: SandboxConfig, headers: IncomingHttpHeaders): Caller {
  const key = header(headers, "api-key")?.trim();
  if (!key) throw new ApiError("MISSING_API_KEY");
  if (key !== config.apiKey) throw new ApiError("INVALID_API_KEY");
  return { kind: "apiKey" };
}

export function authenticateClient(
  config: SandboxConfig,
  headers: IncomingHttpHeaders,
  nowSeconds: number,
): Caller {
  const raw = header(headers, "authorization")?.trim();
  if (!raw) throw new ApiError("MISSING_BEARER");
  const token = /^bearer\s+/i.test(raw) ? raw.replace(/^bearer\s+/i, "").trim() : raw;
  if (!token) throw new ApiError("MISSING_BEARER");
  // During a secret rotation tokens signed with the previous secret stay valid.
  const secrets =
    config.previousSecret === undefined ? [config.apiSecret] : [config.apiSecret, config.previousSecret];
  for (const secret of secrets) {
    const result = verifyClientToken(
      token,
      (merchantId) => (merchantId === config.merchantId ? secret : undefined),
      nowSeconds,
    );
    if (result.ok) {
      return {
        kind: "client",
        steamId: result.claims.client.steamID,
        tradeUrl: result.claims.client.tradeUrl,
        claims: result.claims,
      };
    }
    if (result.reason === "expired" || result.reason === "merchant_mismatch" || result.reason === "malformed")
      break;
  }
  throw new ApiError("INVALID_TOKEN");
}
