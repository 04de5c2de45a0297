import { describe, expect, it } from "vitest";
import { buildSignatureHeader, computeSignature, verifySignature } from "../../src/assetpay/signature.ts";

const body = '{"event":"trade.completed","tradeId":"trade-1"}';
const t = "2026-07-31T12:00:00.000Z";
const now = Date.parse(t);

describe("callback signatures", () => {
  it("matches the official AssetPay test vector", () => {
    expect(computeSignature("current-secret", "delivery-1", t, body)).toBe(
      "264a1a0c4deb4462658b9cc21cce4bf2baaf8da9dd7dd1a51bbd71e0f4d81135",
    );
  });
  it("accepts the official vector's header in any field order", () => {
    const header = `s=264a1a0c4deb4462658b9cc21cce4bf2baaf8da9dd7dd1a51bbd71e0f4d81135,id=delivery-1,t=${t}`;
    expect(verifySignature({ header, rawBody: body, secret: "current-secret", nowMs: now })).toEqual({
      ok: true,
      deliveryId: "delivery-1",
      timestamp: t,
    });
  });
  it("accepts s1 signed with our current secret during AssetPay's rotation", () => {
    const header = buildSignatureHeader({
      secret: "new-secret",
      previousSecret: "current-secret",
      deliveryId: "d",
      timestamp: t,
      rawBody: body,
    });
    expect(verifySignature({ header, rawBody: body, secret: "current-secret", nowMs: now }).ok).toBe(true);
  });
  it("names each failure distinctly", () => {
    const good = buildSignatureHeader({ secret: "k", deliveryId: "d", timestamp: t, rawBody: body });
    expect(verifySignature({ header: undefined, rawBody: body, secret: "k", nowMs: now })).toEqual({
      ok: false,
      reason: "missing_header",
    });
    expect(verifySignature({ header: "t=x", rawBody: body, secret: "k", nowMs: now })).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(verifySignature({ header: good, rawBody: body, secret: "k", nowMs: now + 301_000 })).toEqual({
      ok: false,
      reason: "timestamp_out_of_range",
    });
    expect(verifySignature({ header: good, rawBody: body, secret: "k", nowMs: now + 299_000 }).ok).toBe(true);
    expect(verifySignature({ header: good, rawBody: `${body} `, secret: "k", nowMs: now })).toEqual({
      ok: false,
      reason: "signature_mismatch",
    });
    expect(verifySignature({ header: good, rawBody: body, secret: "other", nowMs: now })).toEqual({
      ok: false,
      reason: "signature_mismatch",
    });
  });
  it("honours a configured tolerance", () => {
    const good = buildSignatureHeader({ secret: "k", deliveryId: "d", timestamp: t, rawBody: body });
    expect(
      verifySignature({
        header: good,
        rawBody: body,
        secret: "k",
        nowMs: now + 20_000,
        toleranceSeconds: 10,
      }),
    ).toEqual({ ok: false, reason: "timestamp_out_of_range" });
  });
});
