/**
 * Webhook delivery as Telegram does it: each queued update is POSTed as JSON (with the
 * `X-Telegram-Bot-Api-Secret-Token` header when a secret was set), confirmed by any 2xx, retried
 * with backoff otherwise, and a method in the 2xx body (a "webhook reply") is executed. Updates
 * go one at a time, in order, so tests see a deterministic sequence.
 */
import { Agent, request } from "node:http";
import type { UpdateQueue } from "./update-queue.ts";

export interface WebhookConfig {
  url: string;
  secretToken: string | undefined;
  maxConnections: number;
}

export interface WebhookDeps {
  queue: UpdateQueue;
  retryDelayMs: number;
  /** Runs a method the receiver put in its 2xx answer, as if the bot had called it. */
  onReply: (method: string, params: Record<string, unknown>) => Promise<void>;
}

/** Telegram ignores these in a webhook reply (nothing could read their result). */
const IGNORED_REPLY = /^(get.*|setwebhook|deletewebhook|close|logout)$/i;

const MAX_RETRY_DELAY_MS = 2_000;
const DELIVERY_TIMEOUT_MS = 10_000;

export class WebhookDeliverer {
  private config: WebhookConfig | undefined;
  private generation = 0;
  private running = false;
  private closed = false;
  private readonly agent = new Agent({ keepAlive: true });
  private readonly inFlight = new Set<AbortController>();
  private wakeRetry: (() => void) | undefined;
  lastError: { date: number; message: string } | undefined;

  constructor(private readonly deps: WebhookDeps) {
    deps.queue.onPush(() => this.kick());
  }

  get current(): WebhookConfig | undefined {
    return this.config;
  }

  set(config: WebhookConfig): void {
    this.stopDeliveries();
    this.config = config;
    this.lastError = undefined;
    this.kick();
  }

  clear(): void {
    this.stopDeliveries();
    this.config = undefined;
    this.lastError = undefined;
  }

  close(): void {
    this.closed = true;
    this.clear();
    this.agent.destroy();
  }

  private stopDeliveries(): void {
    this.generation++;
    for (const controller of this.inFlight) controller.abort();
    this.wakeRetry?.();
  }

  private kick(): void {
    if (this.running || !this.config || this.closed) return;
    this.running = true;
    void this.deliverAll(this.generation).finally(() => {
      this.running = false;
      // A new webhook or new updates may have arrived while the previous loop was winding down.
      if (this.config && this.deps.queue.size > 0 && !this.closed) this.kick();
    });
  }

  private async deliverAll(generation: number): Promise<void> {
    let failures = 0;
    while (generation === this.generation && this.config) {
      const [update] = this.deps.queue.peek(1);
      if (!update) return;
      const outcome = await this.post(this.config, JSON.stringify(update));
      if (generation !== this.generation) return;
      if (outcome.ok) {
        failures = 0;
        this.deps.queue.remove(update.update_id);
        if (outcome.reply) await this.runReply(outcome.reply);
        continue;
      }
      this.lastError = { date: Math.floor(Date.now() / 1000), message: outcome.error };
      failures++;
      await this.pause(Math.min(this.deps.retryDelayMs * 2 ** (failures - 1), MAX_RETRY_DELAY_MS));
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeRetry = done;
    });
  }

  private async runReply(body: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof parsed !== "object" || parsed === null) return;
    const { method, ...params } = parsed as Record<string, unknown>;
    if (typeof method !== "string" || method === "" || IGNORED_REPLY.test(method)) return;
    await this.deps.onReply(method, params);
  }

  private post(
    config: WebhookConfig,
    body: string,
  ): Promise<{ ok: true; reply?: string } | { ok: false; error: string }> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    };
    if (config.secretToken) headers["x-telegram-bot-api-secret-token"] = config.secretToken;

    return new Promise<{ ok: true; reply?: string } | { ok: false; error: string }>((resolve) => {
      const req = request(config.url, {
        method: "POST",
        headers,
        agent: this.agent,
        signal: controller.signal,
        timeout: DELIVERY_TIMEOUT_MS,
      });
      req.on("timeout", () => req.destroy(new Error("Timeout expired")));
      req.on("error", (error: NodeJS.ErrnoException) => {
        resolve({ ok: false, error: error.code === "ECONNREFUSED" ? "Connection refused" : error.message });
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error) => resolve({ ok: false, error: error.message }));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status <= 299) {
            const reply = Buffer.concat(chunks).toString("utf8");
            resolve(reply ? { ok: true, reply } : { ok: true });
          } else {
            resolve({
              ok: false,
              error: `Wrong response from the webhook: ${status} ${res.statusMessage ?? ""}`.trim(),
            });
          }
        });
      });
      req.end(body);
    }).finally(() => this.inFlight.delete(controller));
  }
}
