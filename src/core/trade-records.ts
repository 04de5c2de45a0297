/**
 * What the bot remembers of every trade it starts, written *before* the AssetPay call: the
 * member, the items at the prices the member saw, and what the ledger has done for it. The
 * approval callback can arrive before the POST returns, so the record is found by our
 * `externalId` first and linked to AssetPay's trade id when either side learns it.
 */
import { randomUUID } from "node:crypto";
import type { TradeStatus } from "../assetpay/schemas.ts";
import { getAs, type KV } from "./kv.ts";
import type { MemberId } from "./ledger.ts";
import type { Cents } from "./money.ts";

export interface RecordItem {
  /** Inventory item id (deposit) or listing id (withdraw): the id AssetPay echoes on trade items. */
  id: string;
  name: string;
  /** What the member saw and confirmed, fee included. */
  memberPriceCents: Cents;
  /** AssetPay's price for it when quoted. */
  quotedPriceCents: Cents;
  amount: number;
  wear?: string;
}

export interface TradeRecord {
  externalId: string;
  tradeId?: string;
  kind: "deposit" | "withdraw";
  source: "client" | "self";
  memberId: MemberId;
  game: string;
  items: RecordItem[];
  /** Sum of member prices × amounts. */
  totalCents: Cents;
  instant: boolean;
  createdAt: string;
  /** Last status seen from AssetPay. */
  status?: TradeStatus;
  offerId?: string;
  /** `started`: POST in flight; `open`: trade exists; `failed-to-start`: AssetPay refused it. */
  phase: "started" | "open" | "failed-to-start" | "closed";
  /**
   * What the ledger has done, per AssetPay trade id: a deposit basket may be split into several
   * trades that settle independently.
   */
  effects: Record<string, TradeEffects>;
  /** Who started a self-trade (admin actor), for the audit. */
  actor?: string;
  /** Self-trade buys approved by the bot (no member verdict exists for them). */
  selfApproved?: string[];
  /** For a self-trade giveaway: the member receiving it. */
  recipientId?: MemberId;
}

export interface TradeEffects {
  /** Deposit: credited so far (pre-credit + completion). */
  creditedCents: Cents;
  preCreditedCents: Cents;
  /** Withdraw: settled out of `held` (delivered) and refunded back to `available`. */
  settledCents: Cents;
  refundedCents: Cents;
  /** Terminal outcome applied; later callbacks for the trade move nothing. */
  closed: boolean;
}

export function effectsOf(record: TradeRecord, tradeId: string): TradeEffects {
  let effects = record.effects[tradeId];
  if (!effects) {
    effects = { creditedCents: 0, preCreditedCents: 0, settledCents: 0, refundedCents: 0, closed: false };
    record.effects[tradeId] = effects;
  }
  return effects;
}

export function newExternalId(kind: "deposit" | "withdraw" | "sell" | "buy"): string {
  // Short enough for chat button ids, unique, comma-free (the batch lookup splits on commas).
  return `sb-${kind.slice(0, 2)}-${randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

export interface TradeRecords {
  create(record: TradeRecord): Promise<void>;
  save(record: TradeRecord): Promise<void>;
  byExternalId(externalId: string): Promise<TradeRecord | undefined>;
  byTradeId(tradeId: string): Promise<TradeRecord | undefined>;
  /**
   * Finds the record for an AssetPay trade by id, then by externalId, linking the two. A newly
   * learned `tradeId` is set on the returned record; the caller saves it.
   */
  forTrade(trade: { id: string; externalId?: string }): Promise<TradeRecord | undefined>;
  /** Links one more AssetPay trade id (a split basket's sibling) to a record. */
  link(record: TradeRecord, tradeId: string): Promise<void>;
  /** Recent trades of a member, newest first. */
  ofMember(memberId: MemberId, limit: number): Promise<TradeRecord[]>;
}

const MEMBER_HISTORY = 50;

export function createTradeRecords(kv: KV): TradeRecords {
  const ext = (id: string) => `trade-ext:${id}`;
  const byId = (id: string) => `trade-id:${id}`;
  const history = (m: MemberId) => `trade-member:${m}`;

  // The id → externalId mapping is written once, when a trade id becomes known (`link`), not
  // on every save: a callback's hot path is a handful of Redis round trips and this was two.
  const save = async (record: TradeRecord) => {
    await kv.set(ext(record.externalId), record);
  };
  const link = async (record: TradeRecord, tradeId: string) => {
    await kv.set(byId(tradeId), record.externalId);
  };
  const byExternalId = (externalId: string) => getAs<TradeRecord>(kv, ext(externalId));
  const byTradeId = async (tradeId: string) => {
    const externalId = await getAs<string>(kv, byId(tradeId));
    return externalId === undefined ? undefined : byExternalId(externalId);
  };
  return {
    async create(record) {
      await save(record);
      if (record.tradeId) await link(record, record.tradeId);
      const list = (await getAs<string[]>(kv, history(record.memberId))) ?? [];
      list.unshift(record.externalId);
      await kv.set(history(record.memberId), list.slice(0, MEMBER_HISTORY));
    },
    save,
    byExternalId,
    byTradeId,
    async forTrade(trade) {
      const found =
        (await byTradeId(trade.id)) ?? (trade.externalId ? await byExternalId(trade.externalId) : undefined);
      if (found && found.tradeId === undefined) {
        found.tradeId = trade.id;
        await save(found);
      }
      return found;
    },
    async link(record, tradeId) {
      await kv.set(byId(tradeId), record.externalId);
    },
    async ofMember(memberId, limit) {
      const ids = ((await getAs<string[]>(kv, history(memberId))) ?? []).slice(0, limit);
      const records = await Promise.all(ids.map(byExternalId));
      return records.filter((r): r is TradeRecord => r !== undefined);
    },
  };
}
