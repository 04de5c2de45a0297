/**
 * The durable ledger: each operation is one Lua script on the shared Redis client, so the
 * refusal check, the balance move, the dedupe mark and the journal entry are one atomic step
 * even with several bot instances on one Redis.
 *
 * Layout under the prefix (`sb:` by default); nothing here ever expires:
 *   bal:<member>      hash { a: available cents, h: held cents }
 *   jrnl:<member>     list of entry JSON, oldest first; an entry's id is its 1-based position
 *   applied           hash idempotency key -> "<member>#<entry id>"
 *   verdict:<tradeId> string: the TradeVerdict JSON given to that trade's approval callback
 *   totals            hash { a, h } summed over all members
 *   members           set of members with a journal
 * Amounts travel as decimal strings and move with HINCRBY, so they stay exact integers; the
 * entry JSON is built in TypeScript and stored opaque (Lua's cjson would round large numbers).
 */
import type {
  ApprovalResult,
  Balance,
  Ledger,
  LedgerOp,
  MoveInput,
  MoveResult,
  TradeVerdict,
} from "../core/ledger.ts";
import { ledgerKeys } from "./ledger-keys.ts";
import {
  moveMethods,
  parseEntry,
  planApproval,
  planMove,
  planRejection,
  planTransfer,
} from "./ledger-plan.ts";
import { createLedgerReads } from "./ledger-redis-reads.ts";

export { ledgerKeys } from "./ledger-keys.ts";

import { asArray, asInt, asString, defineLuaScript } from "./lua-script.ts";
import type { RedisClient } from "./redis.ts";

export interface RedisLedgerOptions {
  client: RedisClient;
  prefix?: string;
  clock?: () => Date;
}

/** Lua: reads the member's balance into `a`, `h` (KEYS[1] is the balance hash). Shared with the trade book. */
export const LEDGER_BALANCE_LUA = `
local a = tonumber(redis.call('HGET', KEYS[1], 'a') or '0')
local h = tonumber(redis.call('HGET', KEYS[1], 'h') or '0')
`;

// Shared tail: move by ARGV deltas, journal, mark, register. Expects a, h and the KEYS layout
// bal, jrnl, applied, totals, members; ARGV key, member, dA, dH, entryJson at given positions.
export const LEDGER_WRITE_LUA = `
local function write(key, member, dA, dH, entry)
  if tonumber(dA) ~= 0 then
    a = redis.call('HINCRBY', KEYS[1], 'a', dA)
    redis.call('HINCRBY', KEYS[4], 'a', dA)
  end
  if tonumber(dH) ~= 0 then
    h = redis.call('HINCRBY', KEYS[1], 'h', dH)
    redis.call('HINCRBY', KEYS[4], 'h', dH)
  end
  local id = redis.call('RPUSH', KEYS[2], entry)
  redis.call('HSET', KEYS[3], key, member .. '#' .. id)
  redis.call('SADD', KEYS[5], member)
  return id
end
`;

// KEYS: bal, jrnl, applied, totals, members. ARGV: key, member, dA, dH, allowNegative, entryJson.
const APPLY = `${LEDGER_BALANCE_LUA}${LEDGER_WRITE_LUA}
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return {0, a, h, 'duplicate'} end
local dA = tonumber(ARGV[3])
local dH = tonumber(ARGV[4])
if (dA < 0 and ARGV[5] ~= '1' and a + dA < 0) or (dH < 0 and h + dH < 0) then
  return {0, a, h, 'insufficient'}
end
local id = write(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6])
return {1, a, h, id}
`;

// KEYS: bal, jrnl, applied, totals, members, verdict.
// ARGV: key, member, amount, entryJson, approvedJson, rejectedJson.
const DECIDE = `${LEDGER_BALANCE_LUA}${LEDGER_WRITE_LUA}
local existing = redis.call('GET', KEYS[6])
if existing then return {0, a, h, existing} end
local verdict = ARGV[5]
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then
  if a < tonumber(ARGV[3]) then
    verdict = ARGV[6]
  else
    write(ARGV[1], ARGV[2], '-' .. ARGV[3], ARGV[3], ARGV[4])
  end
end
redis.call('SET', KEYS[6], verdict)
return {1, a, h, verdict}
`;

// KEYS: bal from, jrnl from, applied, totals, members, bal to, jrnl to.
// ARGV: key, from, to, amount, negated amount, outJson, inJson. Totals do not change: money only
// changes wallets. The amount is compared, not read, so the entries built in TypeScript match it.
const TRANSFER = `
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return {0, 'duplicate'} end
local a = tonumber(redis.call('HGET', KEYS[1], 'a') or '0')
local h = tonumber(redis.call('HGET', KEYS[1], 'h') or '0')
if h ~= 0 then return {0, 'held'} end
if a ~= tonumber(ARGV[4]) then return {0, 'changed'} end
if a == 0 then
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. '#0')
  return {1, 0, 0}
end
redis.call('HINCRBY', KEYS[1], 'a', ARGV[5])
redis.call('HINCRBY', KEYS[6], 'a', ARGV[4])
local out = redis.call('RPUSH', KEYS[2], ARGV[6])
local into = redis.call('RPUSH', KEYS[7], ARGV[7])
redis.call('SADD', KEYS[5], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. '#' .. into)
return {1, out, into}
`;

export function createRedisLedger(opts: RedisLedgerOptions): Ledger {
  const { client } = opts;
  const prefix = opts.prefix ?? "sb:";
  const clock = opts.clock ?? (() => new Date());
  const applyScript = defineLuaScript(client, APPLY);
  const decideScript = defineLuaScript(client, DECIDE);
  const transferScript = defineLuaScript(client, TRANSFER);
  const k = ledgerKeys(prefix);
  const moveKeys = k.moveKeys;

  const balanceFrom = (reply: unknown[]): Balance => ({
    availableCents: asInt(reply[1], "available"),
    heldCents: asInt(reply[2], "held"),
  });

  const move =
    (op: LedgerOp) =>
    async (input: MoveInput): Promise<MoveResult> => {
      const plan = planMove(op, input, clock().toISOString());
      const reply = asArray(
        await applyScript.run(moveKeys(plan.memberId), [
          plan.key,
          plan.memberId,
          String(plan.availableDeltaCents),
          String(plan.heldDeltaCents),
          plan.allowNegative ? "1" : "0",
          plan.entryJson,
        ]),
        "ledger move",
      );
      const balance = balanceFrom(reply);
      if (asInt(reply[0], "applied flag") === 0) {
        const refused = asString(reply[3], "refusal");
        if (refused !== "duplicate" && refused !== "insufficient")
          throw new TypeError(`unknown refusal ${refused}`);
        return { applied: false, balance, refused };
      }
      return { applied: true, balance, entry: parseEntry(plan.entryJson, asInt(reply[3], "entry id")) };
    };

  return {
    ...createLedgerReads(client, k),
    ...moveMethods(move),

    async decideApproval(input): Promise<ApprovalResult> {
      const plan = planApproval(input, clock().toISOString());
      const reply = asArray(
        await decideScript.run(
          [...moveKeys(plan.hold.memberId), k.verdict(input.tradeId)],
          [
            plan.hold.key,
            plan.hold.memberId,
            String(plan.amountCents),
            plan.hold.entryJson,
            plan.approvedJson,
            plan.rejectedJson,
          ],
        ),
        "approval",
      );
      const verdict = JSON.parse(asString(reply[3], "verdict")) as TradeVerdict;
      return { ...verdict, fresh: asInt(reply[0], "fresh flag") === 1, balance: balanceFrom(reply) };
    },

    async recordVerdict(tradeId, _verdict, reason, extra) {
      const json = planRejection(tradeId, reason, clock().toISOString(), extra);
      // A verdict is written once and never changes, so reading after a lost SET NX is race-free.
      const set = await client.set(k.verdict(tradeId), json, { condition: "NX" });
      if (set === "OK") return { ...(JSON.parse(json) as TradeVerdict), fresh: true };
      const existing = await client.get(k.verdict(tradeId));
      return { ...(JSON.parse(asString(existing, "verdict")) as TradeVerdict), fresh: false };
    },

    async transfer(input) {
      const plan = planTransfer(input, clock().toISOString());
      const reply = asArray(
        await transferScript.run(
          [
            k.bal(plan.fromId),
            k.jrnl(plan.fromId),
            k.applied,
            k.totals,
            k.members,
            k.bal(plan.toId),
            k.jrnl(plan.toId),
          ],
          [
            plan.key,
            plan.fromId,
            plan.toId,
            String(plan.amountCents),
            String(-plan.amountCents),
            plan.outJson,
            plan.inJson,
          ],
        ),
        "transfer",
      );
      if (asInt(reply[0], "applied flag") === 0) {
        const refused = asString(reply[1], "refusal");
        if (refused !== "duplicate" && refused !== "changed" && refused !== "held")
          throw new TypeError(`unknown refusal ${refused}`);
        return { applied: false, refused };
      }
      if (plan.amountCents === 0) return { applied: true, entries: [] };
      return {
        applied: true,
        entries: [
          parseEntry(plan.outJson, asInt(reply[1], "entry id")),
          parseEntry(plan.inJson, asInt(reply[2], "entry id")),
        ],
      };
    },
  };
}
