/**
 * The callback listener as AssetPay sees it: signed callbacks are applied once, anything
 * unsigned, forged, stale, malformed or unknown gets a 4xx and changes nothing.
 */
import { randomUUID } from "node:crypto";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSignatureHeader } from "../../src/assetpay/signature.ts";
import {
  eventually,
  postSignedCallback,
  startTestApp,
  type TestApp,
  testConfig,
} from "../support/app-harness.ts";
import { depositCallback, startedDeposit } from "../support/deposit-fixtures.ts";

let t: TestApp;
const METRICS_TOKEN = "metrics-token-for-the-test";

beforeAll(async () => {
  t = await startTestApp(testConfig({ METRICS_TOKEN: METRICS_TOKEN }));
});
afterAll(async () => {
  await t?.close();
});

function depositTrade(id: string, externalId: string, status: string, cents = 1234) {
  return depositCallback({ id, externalId, itemId: `${id}-i` }, status, cents);
}

async function depositRecord(memberId: string, cents = 1234) {
  return startedDeposit(t.app.core, memberId, cents);
}

async function rawPost(body: string, headers: Record<string, string> = {}) {
  const res = await request(t.callbackUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: res.statusCode, body: await res.body.text() };
}

describe("the AssetPay callback listener", () => {
  it("answers AssetPay's unsigned URL test ping with 200", async () => {
    const r = await rawPost(
      JSON.stringify({ test: true, timestamp: new Date().toISOString(), message: "test" }),
    );
    expect(r.status).toBe(200);
  });

  it("credits a completed deposit once, however often the same delivery is retried", async () => {
    const member = `console:${randomUUID()}`;
    const { id, externalId } = await depositRecord(member, 2500);
    const body = depositTrade(id, externalId, "completed", 2500);
    for (let i = 0; i < 3; i++) {
      expect((await postSignedCallback(t.callbackUrl, body, { deliveryId: "same-delivery-1" })).status).toBe(
        200,
      );
    }
    expect((await postSignedCallback(t.callbackUrl, body)).status).toBe(200);
    expect(await t.app.core.ledger.balance(member)).toEqual({ availableCents: 2500, heldCents: 0 });
    const credited = await eventually(() => {
      const n = t.notifier.sent.find((s) => s.notice.tradeId === id && s.notice.kind === "deposit.credited");
      if (!n) throw new Error("no DM yet");
      return n;
    });
    expect(credited.notice).toMatchObject({ amountCents: 2500, balanceCents: 2500 });
    expect(t.notifier.sent.filter((s) => s.notice.tradeId === id)).toHaveLength(1);
  });

  it("refuses unsigned, forged, stale and malformed callbacks without changing anything", async () => {
    const member = `console:${randomUUID()}`;
    const { id, externalId } = await depositRecord(member);
    const raw = JSON.stringify(depositTrade(id, externalId, "completed"));
    const now = new Date().toISOString();
    const sign = (secret: string, timestamp: string, body = raw) =>
      buildSignatureHeader({ secret, deliveryId: randomUUID(), timestamp, rawBody: body });

    expect((await rawPost(raw)).status).toBe(401);
    expect((await rawPost(raw, { "x-assetpay-signature": sign("wrong-secret", now) })).status).toBe(401);
    const stale = new Date(Date.now() - 10 * 60_000).toISOString();
    expect(
      (await rawPost(raw, { "x-assetpay-signature": sign("test-api-secret-0123456789", stale) })).status,
    ).toBe(401);
    expect((await rawPost(raw, { "x-assetpay-signature": "t=nonsense" })).status).toBe(401);
    // Signed over other bytes than were sent.
    expect(
      (await rawPost(`${raw} `, { "x-assetpay-signature": sign("test-api-secret-0123456789", now) })).status,
    ).toBe(401);
    const broken = "{not json";
    expect(
      (await rawPost(broken, { "x-assetpay-signature": sign("test-api-secret-0123456789", now, broken) }))
        .status,
    ).toBe(400);
    const unknownStatus = JSON.stringify(depositTrade(id, externalId, "teleported"));
    expect(
      (
        await rawPost(unknownStatus, {
          "x-assetpay-signature": sign("test-api-secret-0123456789", now, unknownStatus),
        })
      ).status,
    ).toBe(400);
    expect(await t.app.core.ledger.balance(member)).toEqual({ availableCents: 0, heldCents: 0 });
    expect(await t.app.core.ledger.journal(member)).toEqual([]);
  });

  it("answers 404 for a trade the bot never started and moves nothing", async () => {
    const r = await postSignedCallback(
      t.callbackUrl,
      depositTrade(randomUUID(), "sb-de-unknown", "completed"),
    );
    expect(r.status).toBe(404);
  });

  it("rejects a withdrawal approval for a trade nobody started", async () => {
    const body = depositTrade(randomUUID(), "sb-wi-nobody", "initiated");
    body.trade.type = "withdraw";
    const r = await postSignedCallback(t.callbackUrl, body);
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({ action: "reject", reason: "unknown-intent" });
    // A second attempt (new delivery id) gets the same verdict.
    expect((await postSignedCallback(t.callbackUrl, body)).status).toBe(402);
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const big = JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) });
    const r = await rawPost(big, { "x-assetpay-signature": "t=1,id=1,s=00" });
    expect(r.status).toBe(413);
  });

  it("exposes readiness and, to the holder of METRICS_TOKEN, Prometheus metrics", async () => {
    const health = await request(`${t.url}/healthz`);
    const h = (await health.body.json()) as { checks: Record<string, string>; assetpay: string };
    // The AssetPay base URL in this config points nowhere: reported, but the bot is ready.
    expect(health.statusCode).toBe(200);
    expect(h.checks.store).toBe("up");
    expect(h.assetpay).toBe("unreachable");
    expect((await request(`${t.url}/metrics`)).statusCode).toBe(401);
    const wrong = await request(`${t.url}/metrics`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.statusCode).toBe(401);
    const metrics = await request(`${t.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await metrics.body.text();
    expect(metrics.statusCode).toBe(200);
    expect(text).toMatch(/skinbridge_callbacks_total\{outcome="applied"\} \d+/);
    expect(text).toMatch(/skinbridge_callbacks_total\{outcome="signature_mismatch"\} \d+/);
    expect(text).toContain("skinbridge_outbox_depth");
    expect(text).toMatch(/skinbridge_ledger_operations_total\{op="credit",result="applied"\} \d+/);
  });
});
