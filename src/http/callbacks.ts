/**
 * AssetPay callbacks: verify the signature over the raw bytes, validate the body, then either
 * answer a withdrawal approval (200 approves, 402 rejects, remembered per trade id) or apply an
 * ordinary trade event (deduplicated by delivery id, idempotent underneath anyway). Anything
 * that fails a check gets a 4xx and changes nothing; each reason is logged and counted.
 */
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import { TradeEvent, toTrade } from "../assetpay/schemas.ts";
import { SIGNATURE_HEADER, verifySignature } from "../assetpay/signature.ts";
import type { KV } from "../core/kv.ts";
import { isApprovalRequest, type Settlement } from "../core/settlement.ts";
import { CommitContention } from "../core/trade-records.ts";
import type { Metrics } from "./metrics.ts";
import type { HttpReply } from "./server.ts";

export interface CallbackHandlerDeps {
  settlement: Settlement;
  secret: string;
  /** Our previous API secret, accepted during a rotation. */
  previousSecret?: string;
  toleranceSeconds: number;
  /** Delivery ids already applied (kept for a week: AssetPay retries keep the same id). */
  deliveries: KV;
  logger: Logger;
  metrics?: Metrics;
  now?: () => number;
}

const DELIVERY_TTL_MS = 7 * 24 * 3600 * 1000;

export function createCallbackHandler(deps: CallbackHandlerDeps) {
  const { logger } = deps;
  const count = (outcome: string) => deps.metrics?.callbacks.inc({ outcome });
  const refuse = (status: number, outcome: string, extra: Record<string, unknown> = {}): HttpReply => {
    count(outcome);
    logger.warn({ outcome, ...extra }, "callback refused");
    return { status, body: { error: outcome } };
  };

  return async (req: IncomingMessage, raw: Buffer): Promise<HttpReply> => {
    const header = req.headers[SIGNATURE_HEADER];
    const signature = Array.isArray(header) ? header[0] : header;

    let json: unknown;
    const parse = () => {
      try {
        json = JSON.parse(raw.toString("utf8"));
        return true;
      } catch {
        return false;
      }
    };

    if (signature === undefined) {
      // The one unsigned message AssetPay sends: the URL test when the callback URL is saved.
      if (
        parse() &&
        typeof json === "object" &&
        json !== null &&
        (json as { test?: unknown }).test === true
      ) {
        count("test_ping");
        return { status: 200, body: { ok: true } };
      }
      return refuse(401, "missing_header");
    }

    const verified = verifySignature({
      header: signature,
      rawBody: raw,
      secret: deps.secret,
      ...(deps.previousSecret !== undefined ? { previousSecret: deps.previousSecret } : {}),
      toleranceSeconds: deps.toleranceSeconds,
      nowMs: (deps.now ?? Date.now)(),
    });
    if (!verified.ok) return refuse(401, verified.reason);
    if (!parse()) return refuse(400, "invalid_json", { deliveryId: verified.deliveryId });
    // A signed test ping is fine too; anything else must be a trade event (checked directly
    // rather than through a union, which tried both shapes on every callback).
    if (typeof json === "object" && json !== null && (json as { test?: unknown }).test === true) {
      count("test_ping");
      return { status: 200, body: { ok: true } };
    }
    const body = TradeEvent.safeParse(json);
    if (!body.success) {
      return refuse(400, "invalid_body", {
        deliveryId: verified.deliveryId,
        issues: body.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
      });
    }

    let trade: ReturnType<typeof toTrade>;
    try {
      trade = toTrade(body.data.trade);
    } catch {
      return refuse(400, "invalid_body", { deliveryId: verified.deliveryId });
    }
    // Bindings passed per line, not via logger.child: a child logger per callback runs the
    // redaction machinery over its bindings even when nothing is logged.
    const where = { tradeId: trade.id, deliveryId: verified.deliveryId, status: trade.status };

    try {
      if (isApprovalRequest(trade)) {
        // Approval attempts carry a new delivery id each time: dedupe by trade id (the verdict).
        const answer = await deps.settlement.approve(trade);
        count(answer.approve ? "approved" : "rejected");
        logger.info({ ...where, approve: answer.approve }, "withdrawal approval answered");
        return answer.approve
          ? { status: 200, body: { action: "approve" } }
          : { status: 402, body: { action: "reject", reason: answer.reason } };
      }
      const seenKey = `delivery:${verified.deliveryId}`;
      if ((await deps.deliveries.get(seenKey)) !== undefined) {
        count("duplicate");
        return { status: 200, body: { ok: true, duplicate: true } };
      }
      const outcome = await deps.settlement.apply(trade, {
        deliveryId: verified.deliveryId,
        via: "callback",
      });
      if (outcome === "unknown-trade") return refuse(404, "unknown_trade", { tradeId: trade.id });
      await deps.deliveries.set(seenKey, 1, DELIVERY_TTL_MS);
      count("applied");
      return { status: 200, body: { ok: true } };
    } catch (err) {
      if (err instanceof CommitContention) {
        // Other writers kept changing this basket; AssetPay's retry will find it settled.
        count("busy");
        return { status: 503, body: { error: "busy" }, headers: { "retry-after": "5" } };
      }
      count("error");
      logger.error({ ...where, err }, "callback processing failed");
      return { status: 500, body: { error: "internal" } };
    }
  };
}
