/**
 * The relay of after-commit work: what was carried out is marked done by a later commit. Two
 * commits in flight at once must not hand the same keys on (the second would then count as
 * marked what nobody marked), and keys a commit did not mark come back for the next one.
 */
import { describe, expect, it } from "vitest";
import { createMembers } from "../../src/core/members.ts";
import { createRelay } from "../../src/core/settlement/relay.ts";
import type { AfterCommit } from "../../src/core/trade-book.ts";
import { createMemoryCommunityLog } from "../../src/store/community-log.ts";
import { createKeyValueStores } from "../../src/store/kv.ts";
import { createMemoryLedger } from "../../src/store/ledger-memory.ts";
import { createMemoryOutbox } from "../../src/store/outbox-memory.ts";
import { createMemoryTradeBook } from "../../src/store/trade-book-memory.ts";

function relayOverMemory() {
  const book = createMemoryTradeBook({ ledger: createMemoryLedger() });
  const outbox = createMemoryOutbox();
  const relay = createRelay({
    book,
    queue: { enqueue: (input) => outbox.enqueue(input) },
    members: createMembers(createKeyValueStores().members),
    community: createMemoryCommunityLog(),
    now: () => 0,
  });
  return { relay, outbox };
}

const notice = (i: number): AfterCommit => ({
  kind: "notice",
  key: `n:${i}`,
  recipient: { platform: "console", userId: "a" },
  payload: { kind: "deposit.credited", tradeId: `t${i}`, game: "730", status: "completed" },
});

describe("the after-commit relay", () => {
  it("hands each carried-out key to one commit only, and takes back what a commit did not mark", async () => {
    const { relay, outbox } = relayOverMemory();
    await relay.carryOut([notice(1), notice(2), notice(3)]);
    expect((await outbox.stats(0)).enqueued).toBe(3);

    // Two commits in flight: the second gets none of the first's keys.
    const first = relay.take();
    const second = relay.take();
    expect(first).toEqual(["n:1", "n:2", "n:3"]);
    expect(second).toEqual([]);

    // The first conflicted: its keys wait for the next commit, ahead of newer ones.
    await relay.carryOut([notice(4)]);
    relay.giveBack(first);
    expect(relay.take()).toEqual(["n:1", "n:2", "n:3", "n:4"]);
  });
});
