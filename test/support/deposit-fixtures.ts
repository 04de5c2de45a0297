/**
 * A one-item deposit the bot "started" (its trade record) and AssetPay's callback body for it,
 * for tests and benchmarks that exercise the callback path without a sandbox.
 */
import { randomUUID } from "node:crypto";
import type { Core } from "../../src/app.ts";
import { centsToDollars } from "../../src/base/money.ts";
import type { TradeRecord } from "../../src/core/trade-records.ts";

export interface DepositFixture {
  id: string;
  externalId: string;
  itemId: string;
}

/** Writes the record the bot keeps before calling AssetPay. */
export async function startedDeposit(
  core: Core,
  memberId: string,
  cents: number,
  name = "AK-47 | Redline",
): Promise<DepositFixture> {
  const id = randomUUID();
  const fixture = { id, externalId: `sb-de-${id.slice(0, 12)}`, itemId: `${id}-i` };
  await core.records.create({
    externalId: fixture.externalId,
    kind: "deposit",
    source: "client",
    memberId,
    game: "730",
    items: [{ id: fixture.itemId, name, memberPriceCents: cents, quotedPriceCents: cents, amount: 1 }],
    totalCents: cents,
    instant: false,
    createdAt: new Date().toISOString(),
    phase: "open",
  });
  return fixture;
}

/**
 * An itemless deposit record of `memberId` in `phase`, created `minute` minutes into 2026: what
 * the rules that read a member's trades by phase and age need, and nothing else.
 */
export function depositRecordAt(
  externalId: string,
  memberId: string,
  minute: number,
  phase: TradeRecord["phase"],
): TradeRecord {
  return {
    externalId,
    kind: "deposit",
    source: "client",
    memberId,
    game: "730",
    items: [],
    totalCents: 0,
    instant: false,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
    phase,
    effects: {},
  };
}

/** The `{ trade }` callback body AssetPay sends for that deposit in `status`. */
export function depositCallback(f: DepositFixture, status: string, cents: number) {
  return {
    trade: {
      id: f.id,
      type: "deposit",
      source: "client",
      externalId: f.externalId,
      merchantId: "m",
      clientUserId: "c",
      clientTradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefgh",
      clientSteamID: "76561197960265729",
      status,
      game: "730",
      items: [{ id: f.itemId, appid: 730, tradable: true, offer: { price: centsToDollars(cents) } }],
      totalPrice: centsToDollars(cents),
      createdAt: "2026-11-21T00:00:00.000Z",
      updatedAt: "2026-11-21T00:00:00.000Z",
    },
  };
}
