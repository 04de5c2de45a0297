/**
 * Joining another wallet never sheds a lock: the core refuses a locked chat identity (or one
 * whose withdrawals a negative balance locked) whichever way the join comes (a /join code, a
 * Steam sign-in proven on the other platform), and nothing moves.
 */
import { describe, expect, it } from "vitest";
import { createIdentities } from "../../src/core/identities.ts";
import { createMembers } from "../../src/core/members.ts";
import { createTradeRecords } from "../../src/core/trade-records.ts";
import { createKeyValueStores } from "../../src/store/kv.ts";
import { createMemoryAtomicKv } from "../../src/store/kv-atomic.ts";
import { createMemoryLedger } from "../../src/store/ledger-memory.ts";
import { createMemoryTradeBook } from "../../src/store/trade-book-memory.ts";

const WALLET = "discord:1";
const CHAT = "telegram:2";

function world() {
  const stores = createKeyValueStores();
  const ledger = createMemoryLedger();
  const members = createMembers(stores.members);
  const identities = createIdentities({
    kv: stores.links,
    claims: createMemoryAtomicKv(stores.links),
    ledger,
    records: createTradeRecords(createMemoryTradeBook({ ledger })),
    members,
  });
  return { ledger, members, identities };
}

async function fund(ledger: ReturnType<typeof createMemoryLedger>, memberId: string, cents: number) {
  await ledger.adjust({
    key: `fund:${memberId}`,
    memberId,
    amountCents: cents,
    reason: "test",
    actor: "test",
  });
}

describe("joining a wallet", () => {
  it("moves an unlocked identity's balance into the wallet", async () => {
    const { ledger, identities } = world();
    await fund(ledger, CHAT, 700);
    expect(await identities.join(CHAT, WALLET, CHAT)).toEqual({ wallet: WALLET, movedCents: 700 });
    expect(await identities.resolve(CHAT)).toBe(WALLET);
  });

  it.each([
    ["locked", "memberLocked"],
    ["withdrawalsLocked", "withdrawalsLockedNegative"],
  ] as const)("refuses an identity that is %s, and moves nothing", async (flag, refusal) => {
    const { ledger, members, identities } = world();
    await fund(ledger, CHAT, 700);
    await members.setFlag(CHAT, flag, {
      reason: "chargeback",
      by: "admin:discord:9",
      at: "2026-01-01T00:00:00Z",
    });
    await expect(identities.join(CHAT, WALLET, CHAT)).rejects.toMatchObject({ key: refusal });
    expect(await identities.resolve(CHAT)).toBe(CHAT);
    expect(await ledger.balance(CHAT)).toEqual({ availableCents: 700, heldCents: 0 });
  });
});
