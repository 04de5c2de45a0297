/**
 * Callbacks lost for good (the bot down or unreachable past AssetPay's retries): the reconciler
 * alone must carry a deposit to its credit, keep watching it after completion, and — after a
 * restart, an hour later — apply the reversal whose callback never came.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { selectedTotal } from "../../src/core/picker.ts";
import type { Sandbox } from "../../src/sandbox/server.ts";
import {
  eventually,
  startTestApp,
  startTestSandbox,
  type TestApp,
  testConfig,
} from "../support/app-harness.ts";

const HOUR = 3600_000;
let sandbox: Sandbox;
const prefix = `t:${randomUUID().slice(0, 8)}:`;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

function app(env: Record<string, string>, now?: () => number): Promise<TestApp> {
  return startTestApp(testConfig({ ASSETPAY_BASE_URL: sandbox.url, ...env }), {
    redisUrl: inject("redisUrl"),
    prefix,
    ...(now ? { overrides: { now } } : {}),
  });
}

describe("the reconciler with every callback lost", () => {
  it("credits a completed deposit, keeps watching it, and applies a later reversal after a restart", async () => {
    // No callback URL is ever saved: AssetPay's callbacks reach nobody.
    const first = await app({ RECONCILE_INTERVAL_SECONDS: "0" });
    const core = first.app.core;
    const memberId = `console:${randomUUID().slice(0, 8)}`;
    await core.accounts.link(
      memberId,
      `https://steamcommunity.com/tradeoffer/new/?partner=${50_000 + Math.floor(Math.random() * 1e6)}&token=AbCdEf12`,
    );
    let s = await core.trading.openDeposit(memberId, { game: "252490", pageSize: 8 });
    s = await core.trading.act(memberId, s.id, {
      kind: "toggle",
      index: s.entries.findIndex((e) => e.selectable),
    });
    const total = selectedTotal(s);
    const { trade } = await core.trading.confirm(memberId, s.id);
    // Rust: no hold; the offer is accepted and completed within two minutes.
    await sandbox.clock.advance(180);
    await sandbox.idle();
    expect(sandbox.trades.get(trade!.id)?.status).toBe("completed");

    await core.reconciler.runOnce();
    expect(await core.ledger.balance(memberId)).toEqual({ availableCents: total, heldCents: 0 });
    // A second pass right away finds nothing due: completed trades are looked at less often.
    expect((await core.reconciler.runOnce()).checked).toBe(0);
    await first.close();

    // An hour later AssetPay reverts it; the callback is lost too.
    sandbox.transition(trade!.id, { status: "reverted", revertedBy: "user" });
    await sandbox.idle();

    // The bot restarts two hours on: its first reconcile pass runs at start.
    const later = Date.now() + 2 * HOUR;
    const second = await app({ RECONCILE_INTERVAL_SECONDS: "3600" }, () => later);
    try {
      await eventually(async () => {
        expect(await second.app.core.ledger.balance(memberId)).toEqual({ availableCents: 0, heldCents: 0 });
      });
      const journal = await second.app.core.ledger.journal(memberId);
      expect(journal.map((e) => [e.op, e.reason, e.availableDeltaCents])).toEqual([
        ["debit", "deposit-reverted", -total],
        ["credit", "deposit", total],
      ]);
      await eventually(() =>
        expect(second.notifier.sent.map((n) => n.notice.kind)).toContain("deposit.reverted"),
      );
      // Nothing can move it any more: it is no longer watched.
      expect((await second.app.core.reconciler.runOnce()).checked).toBe(0);
    } finally {
      await second.close();
    }
  });
});
