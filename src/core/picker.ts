/**
 * Picker sessions: the state behind an interactive item list (deposit inventory or withdraw
 * listings). Button ids carry only `version:action:session[:arg]`; everything else lives here,
 * in the store with a TTL, so buttons keep working across a restart and belong to the member
 * who opened them.
 */
import { randomBytes } from "node:crypto";
import type { Cents } from "../base/money.ts";
import { CoreError } from "./errors.ts";
import { getAs, type KV } from "./kv.ts";
import type { MemberId } from "./ledger.ts";

export interface PickerEntry {
  /** Inventory item id or listing id: what the trade request names. */
  id: string;
  name: string;
  wear?: string;
  exterior?: string;
  phase?: string;
  /** What the member gets (deposit) or pays (withdraw), fee included. */
  priceCents: Cents;
  /** AssetPay's price, sent back in the trade request. */
  quotedCents: Cents;
  /** Units in the trade: a whole stack unless the member chose fewer (`stack` is then the most). */
  amount: number;
  /** A stack the member chose part of: how many units there are. */
  stack?: number;
  /** Stickers on it: tells otherwise identical listings apart. */
  stickers?: string[];
  /** False when AssetPay won't take it (not accepted, not tradable): shown, not selectable. */
  selectable: boolean;
  delivery?: "standard" | "instant";
}

export type PickerKind = "deposit" | "withdraw";

/** A picker an admin opened for the community's own account (merchant self-trade). */
export type SelfTradeTarget =
  | { kind: "giveaway"; recipient: string; tradeUrl: string }
  | { kind: "liquidate"; tradeUrl: string };

export interface PickerSession {
  id: string;
  owner: MemberId;
  kind: PickerKind;
  game: string;
  entries: PickerEntry[];
  /** Selected entry ids, in the order they were picked. */
  selected: string[];
  page: number;
  pageSize: number;
  createdAt: number;
  expiresAt: number;
  state: "open" | "confirming" | "done" | "cancelled";
  /** Withdraw: the catalog item the listings belong to. */
  catalog?: { id: string; name: string };
  /** Set for a community self-trade: who receives it (giveaway) or whose skins are sold. */
  self?: SelfTradeTarget;
  /** Set once a trade was started from this picker. */
  externalId?: string;
  tradeId?: string;
  /** A one-shot remark to show with the next render (e.g. prices were refreshed). */
  notice?: "pricesRefreshed" | "selectionTrimmed";
}

/** Short, unguessable, fits button ids on both platforms. */
export function newSessionId(): string {
  return randomBytes(8).toString("base64url").slice(0, 10);
}

export const MAX_SELECTED: Record<PickerKind, number> = { deposit: 250, withdraw: 50 };

export interface Pickers {
  create(
    input: Omit<PickerSession, "id" | "createdAt" | "expiresAt" | "selected" | "page" | "state">,
  ): Promise<PickerSession>;
  /** Loads a session for `member`, refusing other members and expired or unknown sessions. */
  load(id: string, member: MemberId): Promise<PickerSession>;
  save(session: PickerSession): Promise<void>;
}

export function createPickers(kv: KV, opts: { ttlSeconds: number; now?: () => number }): Pickers {
  const now = opts.now ?? Date.now;
  const key = (id: string) => `picker:${id}`;
  const ttlMs = opts.ttlSeconds * 1000;
  return {
    async create(input) {
      const at = now();
      const session: PickerSession = {
        ...input,
        id: newSessionId(),
        selected: [],
        page: 0,
        state: "open",
        createdAt: at,
        expiresAt: at + ttlMs,
      };
      // Kept a little past expiry so a late press gets "expired", not "unknown".
      await kv.set(key(session.id), session, ttlMs + 3_600_000);
      return session;
    },
    async load(id, member) {
      const session = await getAs<PickerSession>(kv, key(id));
      if (!session) throw new CoreError("pickerExpired");
      if (session.owner !== member) throw new CoreError("pickerNotYours");
      if (session.expiresAt <= now() && session.state === "open") throw new CoreError("pickerExpired");
      return session;
    },
    async save(session) {
      const remaining = Math.max(session.expiresAt - now(), 0);
      await kv.set(key(session.id), session, remaining + 3_600_000);
    },
  };
}

// -- pure operations on a session ------------------------------------------------------------

export function pageCount(s: PickerSession): number {
  return Math.max(1, Math.ceil(s.entries.length / s.pageSize));
}

export function pageEntries(s: PickerSession): { entry: PickerEntry; index: number }[] {
  const start = s.page * s.pageSize;
  return s.entries.slice(start, start + s.pageSize).map((entry, i) => ({ entry, index: start + i }));
}

export function goToPage(s: PickerSession, page: number): void {
  s.page = Math.min(Math.max(0, Math.trunc(page)), pageCount(s) - 1);
}

export function toggle(s: PickerSession, index: number): void {
  const entry = s.entries[index];
  if (!entry?.selectable) return;
  const at = s.selected.indexOf(entry.id);
  if (at >= 0) {
    s.selected.splice(at, 1);
    return;
  }
  if (s.selected.length >= MAX_SELECTED[s.kind])
    throw new CoreError("tooManySelected", { max: MAX_SELECTED[s.kind] });
  s.selected.push(entry.id);
}

/** A multi-select on the current page: the page's selection becomes exactly `ids`. */
export function selectOnPage(s: PickerSession, ids: string[]): void {
  const onPage = new Set(pageEntries(s).map(({ entry }) => entry.id));
  const wanted = new Set(ids.filter((id) => onPage.has(id)));
  const selectable = new Set(s.entries.filter((e) => e.selectable).map((e) => e.id));
  const kept = s.selected.filter((id) => !onPage.has(id));
  const added = [...wanted].filter((id) => selectable.has(id));
  if (kept.length + added.length > MAX_SELECTED[s.kind]) {
    throw new CoreError("tooManySelected", { max: MAX_SELECTED[s.kind] });
  }
  s.selected = [...kept, ...added];
}

/** How many units of a stack go into the trade (1 to the whole stack); other entries are left alone. */
export function setQuantity(s: PickerSession, index: number, amount: number): void {
  const entry = s.entries[index];
  const most = entry?.stack ?? entry?.amount ?? 1;
  if (!entry?.selectable || most <= 1 || !Number.isSafeInteger(amount)) return;
  entry.stack = most;
  entry.amount = Math.min(Math.max(1, amount), most);
}

export function selectedEntries(s: PickerSession): PickerEntry[] {
  const byId = new Map(s.entries.map((e) => [e.id, e]));
  return s.selected.map((id) => byId.get(id)).filter((e): e is PickerEntry => e !== undefined);
}

export function selectedTotal(s: PickerSession): Cents {
  return selectedEntries(s).reduce((sum, e) => sum + e.priceCents * e.amount, 0);
}

/** Replaces the entries with fresh quotes, keeping the selection of items still offered. */
export function refreshEntries(s: PickerSession, entries: PickerEntry[]): void {
  const fresh = new Map(entries.map((e) => [e.id, e]));
  // A quantity the member chose survives new quotes, within what the stack now holds.
  for (const old of s.entries) {
    const now = fresh.get(old.id);
    if (old.stack === undefined || !now || now.amount <= 1) continue;
    now.stack = now.amount;
    now.amount = Math.min(old.amount, now.amount);
  }
  const before = s.selected.length;
  s.entries = entries;
  s.selected = s.selected.filter((id) => fresh.get(id)?.selectable === true);
  goToPage(s, s.page);
  s.notice = s.selected.length < before ? "selectionTrimmed" : "pricesRefreshed";
}
