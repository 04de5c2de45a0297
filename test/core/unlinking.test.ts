/**
 * The core's unlink rules, asked directly (the /unlink command only words the outcome): a locked
 * member keeps their Steam account; a trade in flight, even behind many newer finished ones,
 * keeps it linked; a trade refused at its start does not; nothing linked is refused in words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCoreError } from "../../src/core/errors.ts";
import { isInFlight, type TradeRecord } from "../../src/core/trade-records.ts";
import { depositRecordAt } from "../support/deposit-fixtures.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

const record = (memberId: string, n: number, phase: TradeRecord["phase"]): TradeRecord =>
  depositRecordAt(`sb-de-unlink-${memberId.replace(/\W/g, "")}x${n}`, memberId, n, phase);

async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return isCoreError(err) ? err.key : String(err);
  }
}

describe("unlinking a Steam account", () => {
  it("unlinks a member with no trade in flight and hands back what was linked", async () => {
    const memberId = w.member();
    const linked = await w.core.accounts.link(memberId, w.tradeUrl());
    await w.core.records.create(record(memberId, 0, "closed"));
    await w.core.records.create(record(memberId, 1, "failed-to-start"));
    const outcome = await w.core.unlinking.unlink(memberId);
    expect(outcome).toEqual({ kind: "unlinked", link: expect.objectContaining({ steamId: linked.steamId }) });
    expect(await w.core.accounts.get(memberId)).toBeUndefined();
  });

  it("keeps the link while a trade is in flight, even behind twenty-one newer finished ones", async () => {
    const memberId = w.member();
    await w.core.accounts.link(memberId, w.tradeUrl());
    await w.core.records.create(record(memberId, 0, "open"));
    for (let n = 1; n <= 21; n++) await w.core.records.create(record(memberId, n, "closed"));
    expect(await w.core.unlinking.unlink(memberId)).toEqual({ kind: "tradesInFlight" });
    expect(await w.core.accounts.get(memberId)).toBeDefined();
  });

  it("refuses a locked member, whose lock follows the account", async () => {
    const memberId = w.member();
    await w.core.accounts.link(memberId, w.tradeUrl());
    await w.core.admin.lock(memberId, "chargeback", "admin:console:1");
    expect(await refusal(w.core.unlinking.unlink(memberId))).toBe("unlinkLocked");
    expect(await w.core.accounts.get(memberId)).toBeDefined();
  });

  it("refuses a member with nothing linked", async () => {
    expect(await refusal(w.core.unlinking.unlink(w.member()))).toBe("notLinked");
  });

  it("counts every phase but closed and failed-to-start as in flight", () => {
    const phases: TradeRecord["phase"][] = ["started", "open", "failed-to-start", "closed"];
    expect(phases.filter((phase) => isInFlight({ phase }))).toEqual(["started", "open"]);
  });
});
