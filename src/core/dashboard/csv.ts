/**
 * CSV exports of the ledger, in the shape spreadsheets open as is: UTF-8 with a byte-order mark
 * (Excel otherwise guesses the encoding), CRLF line ends, every text field quoted, amounts as
 * plain decimal dollars with a dot, and text that a spreadsheet would run as a formula (starting
 * with = + - @) defused with a leading apostrophe.
 */
import type { Ledger, LedgerEntry, MemberId } from "../ledger.ts";
import type { DashboardReads } from "./read-model.ts";

export const CSV_HEADER = [
  "member",
  "entry",
  "at",
  "op",
  "available_change",
  "held_change",
  "reason",
  "trade_id",
  "item_id",
  "actor",
  "key",
];

const PAGE = 1000;

export function dollars(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export function csvText(value: string | undefined): string {
  let v = value ?? "";
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return `"${v.replaceAll('"', '""')}"`;
}

export function csvRow(e: LedgerEntry): string {
  return [
    csvText(e.memberId),
    String(e.id),
    e.at,
    e.op,
    dollars(e.availableDeltaCents),
    dollars(e.heldDeltaCents),
    csvText(e.reason),
    csvText(e.tradeId),
    csvText(e.itemId),
    csvText(e.actor),
    csvText(e.key),
  ].join(",");
}

const BOM = "\uFEFF";

/** Every entry of a member's journal, oldest first. */
export async function memberJournalCsv(ledger: Ledger, memberId: MemberId): Promise<string> {
  const pages: LedgerEntry[][] = [];
  let before: number | undefined;
  for (;;) {
    const page = await ledger.journal(memberId, { limit: PAGE, ...(before ? { before } : {}) });
    if (page.length === 0) break;
    pages.push(page);
    before = page.at(-1)?.id;
    if (page.length < PAGE || before === 1) break;
  }
  const rows = pages.flat().reverse().map(csvRow);
  return `${BOM}${[CSV_HEADER.join(","), ...rows].join("\r\n")}\r\n`;
}

/** An export larger than this is refused: the range should be narrowed (the CSV is built in memory). */
export const MAX_EXPORT_ROWS = 250_000;

export class ExportTooLarge extends Error {}

/** A member's entries in [from, to), oldest first; newest pages first, stopping before `from`. */
async function entriesInRange(
  ledger: Ledger,
  memberId: MemberId,
  from: string,
  to: string,
): Promise<LedgerEntry[]> {
  const picked: LedgerEntry[] = [];
  let before: number | undefined;
  for (;;) {
    const entries = await ledger.journal(memberId, { limit: PAGE, ...(before ? { before } : {}) });
    for (const e of entries) {
      if (e.at < from) return picked.reverse();
      if (e.at < to) picked.push(e);
    }
    before = entries.at(-1)?.id;
    if (entries.length < PAGE || before === 1) return picked.reverse();
  }
}

/**
 * Every entry in [from, to) of every member, member by member, oldest first within each. The
 * members of a page are read together (one pipeline on Redis); more than `maxRows` rows throws
 * ExportTooLarge.
 */
export async function ledgerCsv(
  deps: { ledger: Ledger; reads: DashboardReads },
  range: { from: Date; to: Date },
  maxRows = MAX_EXPORT_ROWS,
): Promise<{ csv: string; rows: number }> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const lines: string[] = [CSV_HEADER.join(",")];
  let cursor: string | undefined;
  let rows = 0;
  do {
    const page = await deps.reads.memberPage(cursor, 500);
    const perMember = await Promise.all(page.members.map((m) => entriesInRange(deps.ledger, m, from, to)));
    for (const entries of perMember) {
      rows += entries.length;
      if (rows > maxRows) throw new ExportTooLarge();
      for (const e of entries) lines.push(csvRow(e));
    }
    cursor = page.next;
  } while (cursor !== undefined);
  return { csv: `${BOM}${lines.join("\r\n")}\r\n`, rows };
}
