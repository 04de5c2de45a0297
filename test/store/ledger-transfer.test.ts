/**
 * The wallet-join move: a whole available balance from one wallet to another, atomically, with
 * one journal entry on each side, on the memory and the Redis ledger (two instances).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, type Backend } from "./backends.ts";

describe.each(BACKENDS)("ledger transfer (%s)", (_name, makeBackend) => {
  const backend: Backend = makeBackend();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  const fund = async (ledger: ReturnType<Backend["freshLedger"]>["store"], memberId: string, cents: number) =>
    ledger.credit({ key: `fund:${memberId}:${cents}`, memberId, amountCents: cents, reason: "deposit" });

  it("moves the whole available balance with one entry per side; sums and totals are unchanged", async () => {
    const { store, peer } = backend.freshLedger();
    await fund(store, "discord:1", 12_345);
    await fund(store, "telegram:2", 500);
    const before = await store.totals();
    const r = await peer.transfer({
      key: "join:telegram:2",
      fromId: "telegram:2",
      toId: "discord:1",
      amountCents: 500,
      reason: "wallet-join",
      actor: "telegram:2",
    });
    expect(r.applied).toBe(true);
    expect(await store.balance("discord:1")).toEqual({ availableCents: 12_845, heldCents: 0 });
    expect(await store.balance("telegram:2")).toEqual({ availableCents: 0, heldCents: 0 });
    expect(await store.totals()).toEqual(before);
    const [into] = await store.journal("discord:1", { limit: 1 });
    const [out] = await store.journal("telegram:2", { limit: 1 });
    expect(into).toMatchObject({
      availableDeltaCents: 500,
      reason: "wallet-join",
      meta: { from: "telegram:2" },
    });
    expect(out).toMatchObject({
      availableDeltaCents: -500,
      reason: "wallet-join",
      meta: { to: "discord:1" },
    });
    expect(r.applied && r.entries.map((e) => e.id)).toEqual([out!.id, into!.id]);
    expect(await store.hasApplied("join:telegram:2")).toBe(true);
  });

  it("moves once per key, and refuses a balance that changed since it was read or money held by a trade", async () => {
    const { store, peer } = backend.freshLedger();
    await fund(store, "telegram:3", 700);
    const input = {
      key: "join:3",
      fromId: "telegram:3",
      toId: "discord:3",
      reason: "wallet-join",
      actor: "a",
    };
    expect((await store.transfer({ ...input, amountCents: 600 })).applied).toBe(false);
    const [a, b] = await Promise.all([
      store.transfer({ ...input, amountCents: 700 }),
      peer.transfer({ ...input, amountCents: 700 }),
    ]);
    expect([a.applied, b.applied].sort()).toEqual([false, true]);
    expect(await store.balance("discord:3")).toEqual({ availableCents: 700, heldCents: 0 });
    expect(await store.journal("discord:3")).toHaveLength(1);

    await fund(store, "telegram:4", 900);
    await store.hold({ key: "h4", memberId: "telegram:4", amountCents: 100, reason: "withdraw" });
    const held = await store.transfer({ ...input, key: "join:4", fromId: "telegram:4", amountCents: 800 });
    expect(held).toEqual({ applied: false, refused: "held" });
    expect(await store.balance("telegram:4")).toEqual({ availableCents: 800, heldCents: 100 });
  });

  it("carries a debt over (negative available) and treats an empty wallet as done", async () => {
    const { store } = backend.freshLedger();
    await store.debit({
      key: "d5",
      memberId: "telegram:5",
      amountCents: 250,
      reason: "deposit-reverted",
      allowNegative: true,
    });
    await fund(store, "discord:5", 1_000);
    const debt = await store.transfer({
      key: "join:5",
      fromId: "telegram:5",
      toId: "discord:5",
      amountCents: -250,
      reason: "wallet-join",
      actor: "a",
    });
    expect(debt.applied).toBe(true);
    expect(await store.balance("discord:5")).toEqual({ availableCents: 750, heldCents: 0 });
    expect(await store.balance("telegram:5")).toEqual({ availableCents: 0, heldCents: 0 });
    const empty = await store.transfer({
      key: "join:6",
      fromId: "telegram:6",
      toId: "discord:5",
      amountCents: 0,
      reason: "wallet-join",
      actor: "a",
    });
    expect(empty).toEqual({ applied: true, entries: [] });
  });
});
