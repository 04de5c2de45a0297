/**
 * AssetPay's `/health`, asked at most once per `ttlMs` however often the bot's own health is
 * probed: a monitor polling every second must not become load on AssetPay, and an AssetPay outage
 * is reported, never turned into "restart the bot". Concurrent probes share one request.
 */
import { request } from "undici";

export interface AssetPayHealthResult {
  /** `ok`, `status <code>` for a 5xx answer, or `unreachable`. */
  status: string;
  /** Clock time of the upstream call this result came from. */
  checkedAt: number;
}

export interface AssetPayHealth {
  check(): Promise<AssetPayHealthResult>;
}

export const ASSETPAY_HEALTH_TTL_MS = 30_000;

export function createAssetPayHealth(opts: {
  baseUrl: string;
  now?: () => number;
  ttlMs?: number;
  timeoutMs?: number;
}): AssetPayHealth {
  const now = opts.now ?? Date.now;
  const ttlMs = opts.ttlMs ?? ASSETPAY_HEALTH_TTL_MS;
  const timeoutMs = opts.timeoutMs ?? 2_000;
  let last: AssetPayHealthResult | undefined;
  let inFlight: Promise<AssetPayHealthResult> | undefined;

  async function ask(): Promise<AssetPayHealthResult> {
    const checkedAt = now();
    try {
      const res = await request(`${opts.baseUrl}/health`, {
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump();
      return { status: res.statusCode < 500 ? "ok" : `status ${res.statusCode}`, checkedAt };
    } catch {
      return { status: "unreachable", checkedAt };
    }
  }

  return {
    check() {
      if (last && now() - last.checkedAt < ttlMs) return Promise.resolve(last);
      inFlight ??= ask().then((result) => {
        last = result;
        inFlight = undefined;
        return result;
      });
      return inFlight;
    },
  };
}
