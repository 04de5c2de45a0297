/**
 * Liveness and readiness, kept apart on purpose:
 *   - liveness (`/livez`) is the process answering at all: an orchestrator restarts on it, so it
 *     must not depend on anything outside the process;
 *   - readiness (`/readyz`, and `/healthz` for monitors set up before) is the store plus every
 *     configured chat platform connected: the bot can take money events and talk to members.
 * AssetPay's own health is reported next to readiness but never decides it: an AssetPay outage is
 * not something a restart or a load balancer can fix, and callbacks still need answering.
 *
 * Each dependency is a component that its owner marks up or down. While one is down the health
 * keeps warning about it, once on the transition and then every `warnEveryMs`, so an operator
 * reading the logs sees the outage and its fix without a line per reconnect attempt.
 */
import type { Logger } from "pino";
import type { AssetPayHealth } from "./health-assetpay.ts";
import type { HttpListener } from "./server.ts";

export interface ComponentState {
  up: boolean;
  /** What is wrong and how to fix it, one line, for the warning and `/readyz`. */
  detail?: string;
  /** Clock time of the last transition. */
  since: number;
}

export interface HealthComponent {
  up(): void;
  down(detail: string): void;
  state(): ComponentState;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, "up" | "down">;
  problems: Record<string, string>;
  assetpay?: string;
}

export interface Health {
  /** Registers (or returns) a component; new components start down until their owner says otherwise. */
  component(name: string, initially?: { up: boolean; detail?: string }): HealthComponent;
  readiness(): Promise<ReadinessReport>;
  /** Logs a warning for every component down for `warnEveryMs` since its last warning. */
  warnOutages(): void;
  /** Calls `warnOutages` every `warnEveryMs` until `stop`. */
  start(): void;
  stop(): void;
}

export interface HealthOptions {
  logger: Logger;
  now?: () => number;
  /** How often a component that stays down is warned about again (default 30 s). */
  warnEveryMs?: number;
  assetpay?: AssetPayHealth;
}

export const WARN_EVERY_MS = 30_000;

export function createHealth(opts: HealthOptions): Health {
  const now = opts.now ?? Date.now;
  const warnEveryMs = opts.warnEveryMs ?? WARN_EVERY_MS;
  const components = new Map<string, ComponentState & { warnedAt: number }>();
  let timer: NodeJS.Timeout | undefined;

  const seconds = (ms: number) => Math.round(ms / 1000);

  function component(name: string, initially = { up: false }): HealthComponent {
    const existing = components.get(name);
    if (!existing) {
      components.set(name, { ...initially, since: now(), warnedAt: now() });
    }
    const entry = () => components.get(name)!;
    return {
      up() {
        const c = entry();
        if (c.up) return;
        const downFor = now() - c.since;
        Object.assign(c, { up: true, since: now(), detail: undefined });
        opts.logger.info({ component: name, downSeconds: seconds(downFor) }, `${name} is back`);
      },
      down(detail) {
        const c = entry();
        const alreadyWarned = !c.up && c.detail !== undefined;
        // Reconnect attempts fail with varying messages; keep the latest for the next
        // periodic warning instead of a line per attempt.
        if (c.up) c.since = now();
        Object.assign(c, { up: false, detail });
        if (alreadyWarned) return;
        c.warnedAt = now();
        opts.logger.warn({ component: name }, detail);
      },
      state: () => {
        const { warnedAt: _, ...state } = entry();
        return state;
      },
    };
  }

  return {
    component,
    async readiness() {
      const checks: ReadinessReport["checks"] = {};
      const problems: ReadinessReport["problems"] = {};
      for (const [name, c] of components) {
        checks[name] = c.up ? "up" : "down";
        if (!c.up && c.detail) problems[name] = c.detail;
      }
      const report: ReadinessReport = {
        ready: Object.values(checks).every((v) => v === "up"),
        checks,
        problems,
      };
      if (opts.assetpay) report.assetpay = (await opts.assetpay.check()).status;
      return report;
    },
    warnOutages() {
      const t = now();
      for (const [name, c] of components) {
        if (c.up || t - c.warnedAt < warnEveryMs) continue;
        c.warnedAt = t;
        opts.logger.warn(
          { component: name, downSeconds: seconds(t - c.since) },
          `${c.detail ?? `${name} is down`} (for ${seconds(t - c.since)} s)`,
        );
      }
    },
    start() {
      if (timer) return;
      timer = setInterval(() => this.warnOutages(), Math.min(warnEveryMs, 5_000));
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** `/livez`, `/readyz` and `/healthz` (the same as `/readyz`) on the listener. */
export function addHealthRoutes(http: Pick<HttpListener, "route">, health: Health): void {
  http.route("GET", "/livez", async () => ({ status: 200, body: { status: "ok" } }));
  const ready = async () => {
    const report = await health.readiness();
    return {
      status: report.ready ? 200 : 503,
      body: { status: report.ready ? "ready" : "not_ready", ...report, ready: undefined },
    };
  };
  http.route("GET", "/readyz", ready);
  http.route("GET", "/healthz", ready);
}
