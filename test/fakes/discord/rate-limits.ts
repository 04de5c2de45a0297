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
  | { limited: true; headers: Record<string, string>; retryAfterSeconds: number };

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/**
 * Fixed-window buckets answering with the X-RateLimit-* headers @discordjs/rest reads. Retry-After is sent in
 * fractional seconds (Discord rounds it to whole seconds) so backoff tests stay fast.
 */
export function createRateLimiter(initial: RateLimitRule[], now: () => number = Date.now) {
  const rules = [...initial];
  const buckets = new Map<string, { count: number; resetAt: number }>();

  return {
    add(rule: RateLimitRule): void {
      rules.push(rule);
    },
    check(method: string, path: string): RateLimitVerdict | null {
      const { bucketRoute, major } = bucketRouteOf(path);
      const index = rules.findIndex(
        (r) => r.route === bucketRoute && (r.method === undefined || r.method.toUpperCase() === method),
      );
      const rule = rules[index];
      if (!rule) return null;
      const key = `${index}:${major}`;
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket || t >= bucket.resetAt) {
        bucket = { count: 0, resetAt: t + rule.windowMs };
        buckets.set(key, bucket);
      }
      const headers: Record<string, string> = {
        "x-ratelimit-limit": String(rule.limit),
        "x-ratelimit-reset": seconds(bucket.resetAt),
        "x-ratelimit-reset-after": seconds(bucket.resetAt - t),
        "x-ratelimit-bucket": createHash("sha1").update(`${index}:${bucketRoute}`).digest("hex").slice(0, 16),
      };
      if (bucket.count >= rule.limit) {
        headers["x-ratelimit-remaining"] = "0";
        headers["x-ratelimit-scope"] = "user";
        headers["retry-after"] = seconds(bucket.resetAt - t);
        return { limited: true, headers, retryAfterSeconds: Number(seconds(bucket.resetAt - t)) };
      }
      bucket.count += 1;
      headers["x-ratelimit-remaining"] = String(rule.limit - bucket.count);
      return { limited: false, headers };
    },
  };
}
