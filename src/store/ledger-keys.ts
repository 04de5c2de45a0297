/**
 * Where the Redis ledger keeps each thing: balances, journals, verdicts, the applied set and totals.
 * Its own file because the ledger's scripts, its script-free reads and the trade book's commit
 * script all name the same keys.
 */
/** The ledger's Redis keys; the trade book's commit script writes the same ones. */
export function ledgerKeys(prefix: string) {
  const k = {
    bal: (m: string) => `${prefix}bal:${m}`,
    jrnl: (m: string) => `${prefix}jrnl:${m}`,
    verdict: (t: string) => `${prefix}verdict:${t}`,
    applied: `${prefix}applied`,
    totals: `${prefix}totals`,
    members: `${prefix}members`,
    /** KEYS[1..5] of every move script, in the order LEDGER_WRITE_LUA expects. */
    moveKeys: (m: string) => [k.bal(m), k.jrnl(m), k.applied, k.totals, k.members],
  };
  return k;
}
