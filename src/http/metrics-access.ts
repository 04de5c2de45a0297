/**
 * Who may read `/metrics`. The counters reveal trading volume and failure rates, so they are not
 * public by default: served on the main listener only behind `METRICS_TOKEN` (a bearer token a
 * Prometheus scrape config can carry), and/or on a listener of their own (`METRICS_PORT`, on
 * loopback unless `METRICS_HOST` says otherwise) that is never published.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { Metrics } from "./metrics.ts";
import { createHttpListener, type HttpListener, type HttpReply } from "./server.ts";

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Where `/metrics` is served: behind a bearer token on the main listener, on a port of its own. */
export interface MetricsAccess {
  token?: string;
  port?: number;
}

/**
 * Adds `/metrics` to the main listener when a token is set, and returns the dedicated metrics
 * listener (not yet listening) when a port is set.
 */
export function addMetricsRoutes(
  http: Pick<HttpListener, "route">,
  metrics: Metrics,
  access: MetricsAccess,
  logger: Logger,
): HttpListener | undefined {
  const render = async (): Promise<HttpReply> => ({
    status: 200,
    body: await metrics.render(),
    headers: { "content-type": metrics.registry.contentType },
  });
  const { token } = access;
  if (token !== undefined) {
    http.route("GET", "/metrics", async (req) =>
      bearerMatches(req, token)
        ? render()
        : { status: 401, body: { error: "unauthorized" }, headers: { "www-authenticate": "Bearer" } },
    );
  }
  if (access.port === undefined) return undefined;
  const own = createHttpListener({ logger: logger.child({ component: "metrics" }), maxConnections: 64 });
  own.route("GET", "/metrics", render);
  return own;
}
