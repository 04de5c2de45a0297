/**
 * The REST client DMs go through. Each request takes a slot on the bot's global timeline at the
 * moment it actually leaves (@discordjs/rest's `makeRequest`), after the library's own queues:
 * it sends one request at a time per route, so pacing before handing a request to it would let
 * requests that queued behind a slow one leave in a bunch. Its own per-second budget (a fixed
 * second, which lets up to twice the budget through in a rolling one) is set never to bind.
 *
 * A rate limit (a 429, or a bucket the library knows is empty) throws instead of waiting: the
 * outbox postpones the notice and the worker moves on.
 */
import { DefaultRestOptions, REST } from "discord.js";
import type { SendPacer } from "../../core/pacing.ts";

export const UNBOUND_REQUESTS_PER_SECOND = 10_000;

export function createDmRest(deps: {
  apiBase: string;
  token: string;
  pacer: SendPacer;
  /** Told of every request that went through and of every 429, for the metrics. */
  observe?: (outcome: "sent" | "rate_limited") => void;
}): REST {
  return new REST({
    api: deps.apiBase,
    globalRequestsPerSecond: UNBOUND_REQUESTS_PER_SECOND,
    rejectOnRateLimit: () => true,
    async makeRequest(url, init) {
      await deps.pacer.globalSlot("notice");
      const response = await DefaultRestOptions.makeRequest(url, init);
      if (response.status === 429) deps.observe?.("rate_limited");
      else if (response.ok) deps.observe?.("sent");
      return response;
    },
  }).setToken(deps.token);
}
