/** getUpdates, setWebhook, deleteWebhook, getWebhookInfo. */
import { badRequest, TelegramApiError } from "../api-error.ts";
import { Described, type MethodHandler } from "../core.ts";
import { boolParam, intParam, stringParam } from "../params.ts";

/** Telegram caps a long poll at 50 seconds. */
const MAX_POLL_TIMEOUT_SECONDS = 50;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  return Math.min(max, Math.max(min, value));
}

export const getUpdates: MethodHandler = (core, { params, signal }) => {
  if (core.webhook.current) {
    throw new TelegramApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }
  core.queue.setAllowed(params.allowed_updates);
  return core.queue.poll({
    offset: intParam(params, "offset") ?? 0,
    limit: clamp(intParam(params, "limit"), 1, 100, 100),
    timeoutSeconds: clamp(intParam(params, "timeout"), 0, MAX_POLL_TIMEOUT_SECONDS, 0),
    signal,
  });
};

export const setWebhook: MethodHandler = (core, { params }) => {
  const url = stringParam(params, "url") ?? "";
  if (url === "") return removeWebhook(core, boolParam(params, "drop_pending_updates"));

  if (!URL.canParse(url)) throw badRequest("invalid webhook URL specified");
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw badRequest("invalid webhook URL specified");
  // Real Telegram refuses loopback addresses; the fake refuses everything else, so no test reaches out.
  if (!LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw badRequest("bad webhook: the fake Telegram delivers only to loopback addresses");
  }
  const secretToken = stringParam(params, "secret_token") ?? "";
  if (secretToken.length > 256) throw badRequest("secret token is too long");
  if (!/^[A-Za-z0-9_-]*$/.test(secretToken)) throw badRequest("secret token contains unallowed characters");

  if (boolParam(params, "drop_pending_updates")) core.queue.dropAll();
  core.queue.setAllowed(params.allowed_updates);
  core.queue.terminateParked(new TelegramApiError(409, "Conflict: terminated by setWebhook request"));
  core.webhook.set({
    url,
    secretToken: secretToken || undefined,
    maxConnections: clamp(intParam(params, "max_connections"), 1, 100, 40),
  });
  return new Described(true, "Webhook was set");
};

export const deleteWebhook: MethodHandler = (core, { params }) =>
  removeWebhook(core, boolParam(params, "drop_pending_updates"));

function removeWebhook(core: Parameters<MethodHandler>[0], dropPending: boolean): Described {
  if (dropPending) core.queue.dropAll();
  const wasSet = core.webhook.current !== undefined;
  core.webhook.clear();
  return new Described(true, wasSet ? "Webhook was deleted" : "Webhook is already deleted");
}

export const getWebhookInfo: MethodHandler = (core) => {
  const config = core.webhook.current;
  const info: Record<string, unknown> = {
    url: config?.url ?? "",
    has_custom_certificate: false,
    pending_update_count: core.queue.size,
  };
  if (config) info.max_connections = config.maxConnections;
  const allowed = core.queue.allowedUpdates;
  if (allowed) info.allowed_updates = allowed;
  const error = core.webhook.lastError;
  if (error) {
    info.last_error_date = error.date;
    info.last_error_message = error.message;
  }
  return info;
};
