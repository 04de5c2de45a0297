/**
 * A transition being planned: a private copy of the basket, the AssetPay trade that moves it,
 * and everything the commit will write with it. Planners (deposit, withdrawal, self-trade) only
 * ever touch a draft; nothing reaches storage until the settlement commits the whole draft,
 * conditional on the version it was read at.
 */
import { type Item, isTerminal, type Trade, type TradeStatus } from "../../assetpay/schemas.ts";
import { applyBps, type Cents } from "../../base/money.ts";
import type { DebitInput, MemberId, MoveInput, TradeVerdict } from "../ledger.ts";
import { parseMemberId } from "../members.ts";
import type { Notice, NoticeKind, Recipient } from "../notifications.ts";
import type { AfterCommit, MovePlan } from "../trade-book.ts";
import type { RecordItem, TradeProgress, TradeRecord } from "../trade-records.ts";
import { FINAL, REVERSIBLE } from "./transitions.ts";

export interface SettlementPolicy {
  /** Credit `preCredit` when an instant deposit enters hold. */
  instantCredit: boolean;
  /** Fee in basis points on deposit offers (for items the basket does not price). */
  feeBps: number;
  adminRecipients: Recipient[];
  now: () => number;
  /** How long after completion the reconciler keeps looking for a reversal, and how often. */
  reversalWatchMs: number;
  reversalRecheckMs: number;
}

export const STATUS_RANK: Record<TradeStatus, number> = {
  initiated: 0,
  pending: 1,
  active: 2,
  hold: 3,
  completed: 4,
  failed: 4,
  canceled: 4,
  declined: 4,
  reverted: 5,
};

export interface MoneyLine {
  op: MovePlan["op"];
  memberId: MemberId;
  amountCents: Cents;
  reason: string;
  tradeId: string;
  itemId?: string;
}

export interface Draft {
  record: TradeRecord;
  trade: Trade;
  progress: TradeProgress;
  policy: SettlementPolicy;
  moves: MovePlan[];
  verdicts: TradeVerdict[];
  links: string[];
  after: AfterCommit[];
  /** Something differs from the stored basket: there is a commit to make. */
  changed: boolean;
}

/** Opens a draft: the trade's progress entry (new trade ids are linked to the basket). */
export function openDraft(record: TradeRecord, trade: Trade, policy: SettlementPolicy): Draft {
  record.trades ??= {};
  const draft: Draft = {
    record,
    trade,
    policy,
    progress: record.trades[trade.id] as TradeProgress,
    moves: [],
    verdicts: [],
    links: [],
    after: [],
    changed: false,
  };
  if (!draft.progress) {
    draft.progress = { status: trade.status, items: trade.items.map((i) => i.id), notified: [] };
    record.trades[trade.id] = draft.progress;
    draft.links.push(trade.id);
    draft.changed = true;
  }
  for (const item of trade.items) {
    if (!draft.progress.items.includes(item.id)) {
      draft.progress.items.push(item.id);
      draft.changed = true;
    }
  }
  if (record.tradeId === undefined) {
    record.tradeId = trade.id;
    draft.changed = true;
  }
  return draft;
}

/** Where the display status, offer and phase of the basket follow the trade. */
export function touchDisplay(d: Draft): void {
  const { record, trade, progress } = d;
  const set = <K extends keyof TradeRecord>(key: K, value: TradeRecord[K]) => {
    if (record[key] !== value) {
      record[key] = value;
      d.changed = true;
    }
  };
  if (STATUS_RANK[trade.status] > STATUS_RANK[progress.status]) {
    progress.status = trade.status;
    d.changed = true;
  }
  if (record.status === undefined || STATUS_RANK[trade.status] >= STATUS_RANK[record.status])
    set("status", trade.status);
  if (trade.offerId) set("offerId", trade.offerId);
  if (record.phase === "started" || record.phase === "failed-to-start") set("phase", "open");
  if (isSettled(record)) set("phase", "closed");
}

/** Every item has reached an outcome (a reversal may still follow a delivered one). */
function isSettled(record: TradeRecord): boolean {
  const trades = Object.values(record.trades ?? {});
  if (record.source === "self") return trades.length > 0 && trades.every((t) => isTerminal(t.status));
  return record.items.every((i) => {
    const phase = i.state?.phase ?? "open";
    return FINAL.has(phase) || REVERSIBLE.has(phase);
  });
}

export function move(d: Draft, op: MovePlan["op"], input: MoveInput | DebitInput): void {
  d.moves.push({ op, input });
  d.changed = true;
}

/** The basket items this trade carries (a split basket's trade carries only its part). */
export function carriedItems(d: Draft): RecordItem[] {
  const ids = d.progress.items;
  if (ids.length === 0) return d.record.items;
  return ids.map((id) => itemOf(d, id));
}

/** The basket's item by id; an item AssetPay reports that the basket lacks is priced and added. */
function itemOf(d: Draft, id: string): RecordItem {
  const known = d.record.items.find((i) => i.id === id);
  if (known) return known;
  const wire = d.trade.items.find((i) => i.id === id) as Item;
  const price = wire?.priceCents ?? 0;
  const fee = d.record.kind === "deposit" ? -d.policy.feeBps : d.policy.feeBps;
  const added: RecordItem = {
    id,
    name: wire?.name ?? id,
    memberPriceCents: applyBps(price, fee),
    quotedPriceCents: price,
    amount: wire?.amount || 1,
  };
  d.record.items.push(added);
  d.changed = true;
  return added;
}

export const priceOf = (item: RecordItem): Cents => item.memberPriceCents * (item.amount || 1);

export function moneyKey(d: Draft, item: RecordItem, edge: string): string {
  return `basket:${d.record.externalId}:item:${item.id}:${edge}`;
}

export function baseNotice(trade: Trade, kind: NoticeKind): Notice {
  return {
    kind,
    tradeId: trade.id,
    game: trade.game,
    status: trade.status,
    ...(trade.offerId ? { offerId: trade.offerId } : {}),
    ...(trade.holdEndDate ? { holdEndDate: trade.holdEndDate } : {}),
  };
}

/** A notice to the basket's member (a giveaway's recipient), produced once per key. */
export function notifyOnce(d: Draft, key: string, notice: Notice, to?: MemberId): void {
  if (d.progress.notified.includes(key)) return;
  // The member's own trade is told to the chat identity it was started from (routing may still
  // send it elsewhere: the member's chosen platform, or the other one when DMs are closed there).
  const fromTrade =
    to === undefined && d.record.recipientId === undefined && d.record.startedBy !== undefined;
  const target = parseMemberId(
    to ?? d.record.recipientId ?? (fromTrade ? d.record.startedBy : undefined) ?? d.record.memberId,
  );
  d.progress.notified.push(key);
  d.changed = true;
  if (!target) return;
  d.after.push({
    kind: "notice",
    key: `n:${key}`,
    recipient: target,
    payload: notice,
    ...(fromTrade ? { fromTrade: true } : {}),
  });
}

export function adminAlerts(d: Draft, key: string, notice: Notice) {
  return d.policy.adminRecipients.map((admin) => ({
    key: `n:${key}:${admin.platform}:${admin.userId}`,
    recipient: admin,
    payload: notice,
  }));
}
