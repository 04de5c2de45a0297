import { createHash } from "node:crypto";
import type { RateLimitRule } from "./types.ts";

/**
 * The bucket route and major parameter of a request path, computed the way @discordjs/rest's
 * `REST.generateRouteData` does, so a rule written as `/channels/:id/messages` matches what the client queues.
 */
export function bucketRouteOf(path: string): { bucketRoute: string; major: string } {
  if (path.startsWith("/interactions/") && path.endsWith("/callback")) {
    return { bucketRoute: "/interactions/:id/:token/callback", major: "burst" };
  }
  const major = /(?:^\/webhooks\/(\d{17,19}\/[^/?]+))|(?:^\/(?:channels|guilds|webhooks)\/(\d{17,19}))/.exec(
    path,
  );
  const bucketRoute = path
    .replaceAll(/\d{17,19}/g, ":id")
    .replace(/\/reactions\/(.*)/, "/reactions/:reaction")
    .replace(/\/webhooks\/:id\/[^/?]+/, "/webhooks/:id/:token");
  return { bucketRoute, major: major?.[2] ?? major?.[1] ?? "global" };
}

export type RateLimitVerdict =
  | { limited: false; headers: Record<string, string> }
  | { limited: true; global?: boolean; headers: Record<string, string>; retryAfterSeconds: number };

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** Arrival times admitted over the last `windowMs`, as Discord counts them: any rolling window. */
class RollingWindow {
  private stamps: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Admits one request at `t`, or says how long until one more would be admitted. */
  admit(
    t: number,
  ): { admitted: true; remaining: number; resetAfterMs: number } | { admitted: false; retryAfterMs: number } {
    this.stamps = this.stamps.filter((s) => t - s < this.windowMs);
    if (this.stamps.length >= this.limit) {
      return { admitted: false, retryAfterMs: (this.stamps[0] as number) + this.windowMs - t };
    }
    this.stamps.push(t);
    return {
      admitted: true,
      remaining: this.limit - this.stamps.length,
      resetAfterMs: (this.stamps[0] as number) + this.windowMs - t,
    };
  }
}

/** Interaction responses and follow-ups: exempt from the bot's global limit, as on Discord. */
const isInteractionRoute = (path: string) =>
  (path.startsWith("/interactions/") && path.endsWith("/callback")) ||
  /^\/webhooks\/\d{17,19}\/[^/]+/.test(path);

/**
 * Rolling-window buckets answering with the X-RateLimit-* headers @discordjs/rest reads, plus an
 * optional global limit over every request but interaction responses (Discord's 50 a second per
 * bot), also counted over any rolling second. Retry-After is sent in fractional seconds (Discord
 * rounds it to whole seconds) so backoff tests stay fast.
 */
export function createRateLimiter(
  initial: RateLimitRule[],
  now: () => number = Date.now,
  globalPerSecond?: number,
) {
  const rules = [...initial];
  const buckets = new Map<string, RollingWindow>();
  const global = globalPerSecond === undefined ? undefined : new RollingWindow(globalPerSecond, 1_000);

  const checkGlobal = (path: string, t: number): RateLimitVerdict | null => {
    if (!global || isInteractionRoute(path)) return null;
    const verdict = global.admit(t);
    if (verdict.admitted) return null;
    const after = seconds(verdict.retryAfterMs);
    return {
      limited: true,
      global: true,
      headers: { "retry-after": after, "x-ratelimit-global": "true", "x-ratelimit-scope": "global" },
      retryAfterSeconds: Number(after),
    };
  };

  return {
    add(rule: RateLimitRule): void {
      rules.push(rule);
    },
    check(method: string, path: string): RateLimitVerdict | null {
      const t = now();
      const { bucketRoute, major } = bucketRouteOf(path);
      const index = rules.findIndex(
        (r) => r.route === bucketRoute && (r.method === undefined || r.method.toUpperCase() === method),
      );
      const rule = rules[index];
      if (!rule) return checkGlobal(path, t);
      const key = `${index}:${major}`;
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = new RollingWindow(rule.limit, rule.windowMs);
        buckets.set(key, bucket);
      }
      const headers: Record<string, string> = {
        "x-ratelimit-limit": String(rule.limit),
        "x-ratelimit-bucket": createHash("sha1").update(`${index}:${bucketRoute}`).digest("hex").slice(0, 16),
      };
      const verdict = bucket.admit(t);
      if (!verdict.admitted) {
        const after = seconds(verdict.retryAfterMs);
        return {
          limited: true,
          headers: {
            ...headers,
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": seconds(t + verdict.retryAfterMs),
            "x-ratelimit-reset-after": after,
            "x-ratelimit-scope": "user",
            "retry-after": after,
          },
          retryAfterSeconds: Number(after),
        };
      }
      const globalVerdict = checkGlobal(path, t);
      if (globalVerdict) return globalVerdict;
      return {
        limited: false,
        headers: {
          ...headers,
          "x-ratelimit-remaining": String(verdict.remaining),
          "x-ratelimit-reset": seconds(t + verdict.resetAfterMs),
          "x-ratelimit-reset-after": seconds(verdict.resetAfterMs),
        },
      };
    },
  };
}
