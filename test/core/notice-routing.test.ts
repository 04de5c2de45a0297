/**
 * Where a member notice goes for a person with one wallet on Discord and Telegram: the identity
 * they chose, else the one the trade was started from, else the one used last; the other
 * identity when the preferred one is known unreachable. The decision on given facts, then the
 * router reading those facts from real identities and member profiles (memory store).
 */
import { describe, expect, it } from "vitest";
import { createIdentities } from "../../src/core/identities.ts";
import { createMembers } from "../../src/core/members.ts";
import { createNoticeRouter, pickNoticeRecipient } from "../../src/core/notice-routing.ts";
import { createTradeRecords } from "../../src/core/trade-records.ts";
import { createKeyValueStores } from "../../src/store/kv.ts";
import { createMemoryAtomicKv } from "../../src/store/kv-atomic.ts";
import { createMemoryLedger } from "../../src/store/ledger-memory.ts";
import { createMemoryTradeBook } from "../../src/store/trade-book-memory.ts";

const D = "discord:1";
const T = "telegram:2";
const facts = (over: Partial<Parameters<typeof pickNoticeRecipient>[1]> = {}) => ({
  identities: [D, T],
  lastUsed: D,
  unreachable: new Set<string>(),
  ...over,
});

describe("pickNoticeRecipient", () => {
  it("keeps the trade's identity over the one used last", () => {
    expect(pickNoticeRecipient({ to: T, fromTrade: true }, facts({ lastUsed: D }))).toBe(T);
    expect(pickNoticeRecipient({ to: D, fromTrade: true }, facts({ lastUsed: T }))).toBe(D);
  });

  it("sends a notice without a trade identity to the identity used last", () => {
    expect(pickNoticeRecipient({ to: D, fromTrade: false }, facts({ lastUsed: T }))).toBe(T);
  });

  it("prefers the chosen identity over the trade's", () => {
    expect(pickNoticeRecipient({ to: D, fromTrade: true }, facts({ chosen: T }))).toBe(T);
  });

  it("ignores a chosen or trade identity no longer joined to the wallet", () => {
    const split = facts({ identities: [D], chosen: T, lastUsed: D });
    expect(pickNoticeRecipient({ to: D, fromTrade: false }, split)).toBe(D);
    expect(pickNoticeRecipient({ to: T, fromTrade: true }, facts({ identities: [D], lastUsed: D }))).toBe(D);
  });

  it("falls back to the other identity when the preferred one is unreachable", () => {
    const closed = facts({ chosen: T, unreachable: new Set([T]) });
    expect(pickNoticeRecipient({ to: D, fromTrade: true }, closed)).toBe(D);
    expect(pickNoticeRecipient({ to: D, fromTrade: true }, facts({ unreachable: new Set([D]) }))).toBe(T);
  });

  it("keeps the preferred identity when every identity is unreachable (the notice waits in its inbox)", () => {
    expect(pickNoticeRecipient({ to: T, fromTrade: true }, facts({ unreachable: new Set([D, T]) }))).toBe(T);
  });
});

describe("createNoticeRouter", () => {
  const world = () => {
    const stores = createKeyValueStores();
    const ledger = createMemoryLedger();
    const claims = createMemoryAtomicKv(stores.links);
    const records = createTradeRecords(createMemoryTradeBook({ ledger }));
    const members = createMembers(stores.members);
    const identities = createIdentities({ kv: stores.links, claims, ledger, records, members });
    return { stores, identities, members, route: createNoticeRouter({ identities, members }) };
  };

  it("leaves a wallet nobody joined alone, even when unreachable", async () => {
    const { members, route } = world();
    await members.setFlag(D, "unreachable", { since: "2026-01-01T00:00:00Z", reason: "closed" });
    expect(await route({ to: D, fromTrade: true })).toBe(D);
  });

  it("routes by choice, trade, last use and reachability on a joined wallet", async () => {
    const { identities, members, route } = world();
    await identities.join(T, D, T);
    // Joined on Telegram, so Telegram is the identity used last.
    expect(await route({ to: D, fromTrade: false })).toBe(T);
    expect(await route({ to: D, fromTrade: true })).toBe(D);

    await identities.chooseForNotices(T, D);
    expect(await route({ to: D, fromTrade: true })).toBe(T);

    await members.setFlag(T, "unreachable", { since: "2026-01-01T00:00:00Z", reason: "bot blocked" });
    expect(await route({ to: D, fromTrade: true })).toBe(D);

    // Split off again: Telegram is a stranger, its choice no longer counts.
    await members.clearFlag(T, "unreachable");
    await identities.split(T);
    expect(await route({ to: D, fromTrade: true })).toBe(D);
    expect(await identities.identitiesOf(D)).toEqual([D]);
  });

  it("answers 'stands alone' only for a wallet nobody ever joined", async () => {
    const { identities } = world();
    expect(await identities.standsAlone(D)).toBe(true);
    await identities.join(T, D, T);
    // The alias has its claim, the wallet its host mark: neither takes the one-read shortcut.
    expect(await identities.standsAlone(T)).toBe(false);
    expect(await identities.standsAlone(D)).toBe(false);
    // A split leaves the host mark: the wallet keeps the full lookup, which finds it alone.
    await identities.split(T);
    expect(await identities.standsAlone(T)).toBe(true);
    expect(await identities.standsAlone(D)).toBe(false);
    expect(await identities.identitiesOf(D)).toEqual([D]);
  });

  it("learns an alias joined before identities were kept per platform on its next use", async () => {
    const { stores, identities, route } = world();
    await identities.join(T, D, T);
    await stores.links.delete(`identity-on:telegram:${D}`);
    expect(await identities.identitiesOf(D)).toEqual([D]);
    await identities.noteUse(T, D);
    expect(await identities.identitiesOf(D)).toEqual([D, T]);
    await identities.noteUse(D, D);
    expect(await route({ to: D, fromTrade: false })).toBe(D);
    await identities.noteUse(T, D);
    expect(await route({ to: D, fromTrade: false })).toBe(T);
  });
});
