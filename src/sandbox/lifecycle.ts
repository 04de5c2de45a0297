/**
 * Trade lifecycles on the virtual clock. Every transition updates the record and queues a signed
 * `{"trade": Trade}` callback with the state at that moment.
 *
 * Deposit:  initiated →(2 s) pending →(3 s) active →(60 s, the user accepts) hold →(7 days)
 *           completed; Rust skips hold. Magic outcomes: declined/canceled/failed/reverted.
 * Withdraw: initiated → approval callback (real time) →(2 s) pending (sourced, items named)
 *           →(10 s) active (offer sent) →(60 s) hold (assetId) →(7 days) completed; Rust skips
 *           hold. Items move individually: a slow seller keeps an item pending, a failed purchase
 *           fails only that item, cancel and auto-cancel revert pending items.
 * Each step re-checks the state it expects, so a forced transition in between never breaks it.
 */
import { TRADE_ERRORS, type TradeStatus } from "../assetpay/schemas.ts";
import { CS2 } from "./catalog.ts";
import type { SandboxContext } from "./context.ts";
import { ApiError, validationError } from "./errors.ts";
import { encodeItemId } from "./inventory.ts";
import { profileForTradeUrl } from "./magic.ts";
import type { BotInfo } from "./market.ts";
import {
  aggregateStatus,
  type ItemError,
  isInFlight,
  TERMINAL,
  type TradeErrorCode,
  type TradeItem,
  type TradeRecord,
} from "./trades.ts";
import { tradeJson } from "./wire.ts";

/** Virtual seconds between lifecycle steps (README: "Lifecycle"). */
export const DELAYS = {
  depositPending: 2,
  depositActive: 3,
  depositAccept: 60,
  offerExpiry: 600,
  hold: 7 * 86_400,
  revertIntoHold: 3 * 86_400,
  rustLateRevert: 3_600,
  withdrawSource: 2,
  withdrawOffer: 10,
  withdrawAccept: 60,
  slowSellerGiveUp: 24 * 3_600,
} as const;

const ITEM_ERROR_SET: ReadonlySet<string> = new Set(TRADE_ERRORS.slice(0, 9));
const TRADE_ERROR_SET: ReadonlySet<string> = new Set(TRADE_ERRORS);

/** The per-item error that goes with a shared withdraw failure cause. */
function itemErrorFor(cause: TradeErrorCode): ItemError {
  if (ITEM_ERROR_SET.has(cause)) return cause as ItemError;
  if (cause === "USER_NOT_FOUND") return "TRADE_URL_INVALID";
  if (cause === "SERVICE_UNAVAILABLE") return "MARKET_UNAVAILABLE";
  return "BUYER_TRADE_RESTRICTED";
}

export interface ForceInput {
  status: TradeStatus;
  itemId?: string;
  revertedBy?: "supplier" | "user";
  error?: string;
}

export interface Lifecycle {
  startDeposit(trade: TradeRecord): void;
  /** Sends the approval callback; the outcome continues (or fails) the trade on its own. */
  startWithdraw(trade: TradeRecord): void;
  /** Cancels a still-pending withdraw item: `reverted` with refund, asynchronously. */
  requestCancel(trade: TradeRecord, item: TradeItem): void;
  /** Control API: puts a trade (or one withdraw item) into `status` and sends its callback. */
  force(trade: TradeRecord, input: ForceInput): void;
}

export function createLifecycle(ctx: SandboxContext): Lifecycle {
  const { clock } = ctx;

  const emit = (trade: TradeRecord): void => {
    trade.updatedAt = clock.nowMs();
    const body = JSON.stringify({ trade: tradeJson(trade) });
    void ctx.sender.event(trade.id, trade.status, body);
  };

  const later = (trade: TradeRecord, seconds: number, label: string, step: () => void): void => {
    clock.after(seconds, `${label} ${trade.id}`, step, trade.id);
  };

  const botInfo = (): BotInfo => ({
    name: ctx.rng.pick(["AssetPay Bot #12", "AssetPay Bot #27", "AssetPay Bot #41"]),
    steamId: `7656119${ctx.rng.digits(10)}`,
  });

  const markActive = (trade: TradeRecord): void => {
    trade.offerID ??= ctx.rng.digits(10);
    trade.activeAt ??= clock.nowMs();
    trade.botInfo ??= botInfo();
  };

  // ---------------------------------------------------------------------------------------------
  // Deposits

  /** Applies a deposit's status with its side effects on the inventory and merchant wallet. */
  const enterDeposit = (trade: TradeRecord, status: TradeStatus, extra: Partial<ForceInput> = {}): void => {
    const steamId = trade.clientSteamID;
    const takeItems = (): void => {
      if (trade.itemsTaken) return;
      for (const item of trade.items) ctx.inventories.take(steamId, item.id, item.amount);
      trade.itemsTaken = true;
    };
    trade.status = status;
    switch (status) {
      case "active":
        markActive(trade);
        break;
      case "hold":
        markActive(trade);
        takeItems();
        trade.holdEndDate ??= clock.nowMs() + DELAYS.hold * 1000;
        break;
      case "completed":
        markActive(trade);
        takeItems();
        if (!trade.walletCredited) {
          ctx.wallet.balanceCents += trade.totalCents;
          trade.walletCredited = true;
        }
        break;
      case "reverted":
        trade.revertedBy = extra.revertedBy ?? trade.revertedBy ?? "user";
        if (trade.itemsTaken) {
          for (const item of trade.items) {
            if (item.source) ctx.inventories.give(steamId, { ...item.source, amount: item.amount });
          }
          trade.itemsTaken = false;
        }
        if (trade.walletCredited) {
          ctx.wallet.balanceCents -= trade.totalCents;
          trade.walletCredited = false;
        }
        break;
      case "failed":
        if (extra.error !== undefined) trade.error = extra.error as TradeErrorCode;
        break;
      default:
        break;
    }
  };

  const depositStep =
    (trade: TradeRecord, expect: TradeStatus, next: TradeStatus, extra?: Partial<ForceInput>) => () => {
      if (trade.status !== expect) return;
      enterDeposit(trade, next, extra);
      emit(trade);
      resumeDeposit(trade);
    };

  /** Schedules the natural next step of a deposit from its current status. */
  const resumeDeposit = (trade: TradeRecord): void => {
    const outcome = trade.outcome;
    switch (trade.status) {
      case "initiated":
        later(trade, DELAYS.depositPending, "deposit:pending", depositStep(trade, "initiated", "pending"));
        break;
      case "pending":
        if (outcome === "failed") {
          later(
            trade,
            DELAYS.depositActive,
            "deposit:failed",
            depositStep(trade, "pending", "failed", { error: "SERVICE_UNAVAILABLE" }),
          );
        } else {
          later(trade, DELAYS.depositActive, "deposit:active", depositStep(trade, "pending", "active"));
        }
        break;
      case "active":
        if (outcome === "declined") {
          later(trade, DELAYS.depositAccept, "deposit:declined", depositStep(trade, "active", "declined"));
        } else if (outcome === "canceled") {
          later(trade, DELAYS.offerExpiry, "deposit:canceled", depositStep(trade, "active", "canceled"));
        } else {
          const accepted = trade.game === CS2 ? "hold" : "completed";
          later(trade, DELAYS.depositAccept, "deposit:accepted", depositStep(trade, "active", accepted));
        }
        break;
      case "hold": {
        if (outcome === "reverted") {
          later(
            trade,
            DELAYS.revertIntoHold,
            "deposit:reverted",
            depositStep(trade, "hold", "reverted", { revertedBy: "user" }),
          );
        } else {
          const end = trade.holdEndDate ?? clock.nowMs() + DELAYS.hold * 1000;
          clock.schedule(
            end,
            `deposit:completed ${trade.id}`,
            depositStep(trade, "hold", "completed"),
            trade.id,
          );
        }
        break;
      }
      case "completed":
        if (outcome === "reverted" && trade.game !== CS2) {
          later(
            trade,
            DELAYS.rustLateRevert,
            "deposit:reverted",
            depositStep(trade, "completed", "reverted", { revertedBy: "user" }),
          );
        }
        break;
      default:
        break;
    }
  };

  // ---------------------------------------------------------------------------------------------
  // Withdrawals

  const refund = (trade: TradeRecord, item: TradeItem): void => {
    if (trade.approval !== "approved" || item.refunded) return;
    ctx.wallet.balanceCents += item.priceCents * item.amount;
    item.refunded = true;
  };

  const deliver = (trade: TradeRecord, item: TradeItem): void => {
    item.assetId ??= ctx.rng.digits(11);
    if (item.status === "completed" && item.traits) {
      ctx.inventories.mint(trade.clientSteamID, item.traits, item.assetId);
    }
  };

  /** Puts one withdraw item into `status`, with its refund or delivery. */
  const setItem = (trade: TradeRecord, item: TradeItem, status: TradeStatus, error?: ItemError): void => {
    const before = item.status;
    item.status = status;
    if (error !== undefined) item.error = error;
    switch (status) {
      case "pending":
        item.revealed = true;
        break;
      case "active":
        item.revealed = true;
        markActive(trade);
        break;
      case "hold":
        item.revealed = true;
        markActive(trade);
        deliver(trade, item);
        trade.holdEndDate ??= clock.nowMs() + DELAYS.hold * 1000;
        break;
      case "completed":
        item.revealed = true;
        markActive(trade);
        if (before !== "completed") deliver(trade, item);
        break;
      case "failed":
      case "declined":
      case "canceled":
      case "reverted":
        refund(trade, item);
        if (item.listing && item.listing.state === "reserved") ctx.market.release(item.listing);
        break;
      default:
        break;
    }
  };

  const settle = (trade: TradeRecord): void => {
    trade.status = aggregateStatus(trade.items);
    if (trade.error === undefined && trade.status === "failed") {
      const errors = new Set(trade.items.map((i) => i.error));
      const only = [...errors][0];
      if (errors.size === 1 && only !== undefined) trade.error = only;
    }
  };

  const change = (trade: TradeRecord, items: TradeItem[], apply: (item: TradeItem) => void): boolean => {
    if (items.length === 0) return false;
    for (const item of items) apply(item);
    settle(trade);
    emit(trade);
    return true;
  };

  const itemsIn = (trade: TradeRecord, status: TradeStatus): TradeItem[] =>
    trade.items.filter((i) => i.status === status);

  const fillQuickBuy = (trade: TradeRecord, rows: TradeItem[]): void => {
    const quick = trade.quick;
    const entry = quick && ctx.catalog.byId(quick.catalogId);
    if (!quick || !entry) return;
    const candidates = ctx.market
      .ofEntry(entry)
      .filter(
        (l) =>
          l.delivery === quick.delivery &&
          (quick.phase === undefined || l.phase === quick.phase) &&
          l.priceCents <= quick.maxCents,
      )
      .sort((a, b) => a.priceCents - b.priceCents);
    for (const row of rows) {
      const listing = candidates.shift();
      if (!listing) {
        setItem(trade, row, "failed", "NO_LISTING_AT_PRICE");
        continue;
      }
      ctx.market.reserve(listing, trade.id);
      // The ceiling was locked; the cheaper fill is charged and the difference goes back.
      ctx.wallet.balanceCents += (row.priceCents - listing.priceCents) * row.amount;
      row.priceCents = listing.priceCents;
      row.listing = listing;
      row.traits = listing;
      row.delivery = listing.delivery;
      row.internal = listing.delivery === "instant";
      if (listing.botInfo) row.botInfo = listing.botInfo;
    }
    trade.totalCents = trade.items.reduce((sum, i) => sum + i.priceCents * i.amount, 0);
  };

  const source = (trade: TradeRecord) => (): void => {
    const rows = itemsIn(trade, "initiated");
    if (trade.approval !== "approved" || rows.length === 0) return;
    const cause = profileForTradeUrl(trade.clientTradeUrl).withdrawFailure;
    if (cause !== undefined) {
      trade.error = cause;
      change(trade, rows, (item) => setItem(trade, item, "failed", itemErrorFor(cause)));
      return;
    }
    if (trade.quick) fillQuickBuy(trade, rows);
    change(trade, rows, (item) => {
      if (item.status !== "initiated") return;
      if (item.listing) ctx.market.sell(item.listing);
      if (item.outcome === "fail") {
        setItem(trade, item, "failed", item.failWith ?? "LISTING_UNAVAILABLE");
        return;
      }
      setItem(trade, item, "pending");
      if (item.outcome === "slow")
        later(trade, DELAYS.slowSellerGiveUp, "withdraw:give-up", giveUp(trade, item));
    });
    resumeWithdraw(trade);
  };

  const giveUp = (trade: TradeRecord, item: TradeItem) => (): void => {
    if (item.status !== "pending") return;
    change(trade, [item], () => setItem(trade, item, "failed", "LISTING_UNAVAILABLE"));
  };

  const sendOffers = (trade: TradeRecord) => (): void => {
    const ready = itemsIn(trade, "pending").filter((i) => i.outcome !== "slow");
    if (change(trade, ready, (item) => setItem(trade, item, "active"))) resumeWithdraw(trade);
  };

  const acceptOffers = (trade: TradeRecord) => (): void => {
    const offered = itemsIn(trade, "active");
    const changed = change(trade, offered, (item) => {
      if (item.outcome === "declined") setItem(trade, item, "declined", "OFFER_NOT_ACCEPTED");
      else setItem(trade, item, trade.game === CS2 ? "hold" : "completed");
    });
    if (changed) resumeWithdraw(trade);
  };

  const finishHold = (trade: TradeRecord) => (): void => {
    const held = itemsIn(trade, "hold").filter((i) => i.outcome !== "reverted");
    change(trade, held, (item) => setItem(trade, item, "completed"));
  };

  const supplierRevert = (trade: TradeRecord) => (): void => {
    const held = itemsIn(trade, "hold").filter((i) => i.outcome === "reverted");
    if (held.length) trade.revertedBy = "supplier";
    change(trade, held, (item) => setItem(trade, item, "reverted"));
  };

  const autoCancel = (trade: TradeRecord) => (): void => {
    change(trade, itemsIn(trade, "pending"), (item) => setItem(trade, item, "reverted"));
  };

  /** Schedules the natural next steps of a withdrawal from its items' statuses. */
  const resumeWithdraw = (trade: TradeRecord): void => {
    if (trade.approval === "approved" && itemsIn(trade, "initiated").length) {
      later(trade, DELAYS.withdrawSource, "withdraw:source", source(trade));
    }
    if (itemsIn(trade, "pending").some((i) => i.outcome !== "slow")) {
      later(trade, DELAYS.withdrawOffer, "withdraw:offer", sendOffers(trade));
    }
    if (itemsIn(trade, "active").length)
      later(trade, DELAYS.withdrawAccept, "withdraw:accept", acceptOffers(trade));
    if (itemsIn(trade, "hold").length) {
      const end = trade.holdEndDate ?? clock.nowMs() + DELAYS.hold * 1000;
      if (clock.pending().every((t) => t.tradeId !== trade.id || !t.label.startsWith("withdraw:complete"))) {
        clock.schedule(end, `withdraw:complete ${trade.id}`, finishHold(trade), trade.id);
      }
      if (itemsIn(trade, "hold").some((i) => i.outcome === "reverted")) {
        later(trade, DELAYS.revertIntoHold, "withdraw:supplier-revert", supplierRevert(trade));
      }
    }
    if (trade.autoCancelAt !== undefined && itemsIn(trade, "pending").length) {
      if (
        clock.pending().every((t) => t.tradeId !== trade.id || !t.label.startsWith("withdraw:auto-cancel"))
      ) {
        clock.schedule(
          Math.max(trade.autoCancelAt, clock.nowMs()),
          `withdraw:auto-cancel ${trade.id}`,
          autoCancel(trade),
          trade.id,
        );
      }
    }
  };

  const onApproval = (trade: TradeRecord, verdict: "approved" | "rejected" | "timeout"): void => {
    // Ignore a verdict for a trade forced meanwhile, or one from before a reset.
    if (trade.approval !== "awaiting" || trade.status !== "initiated" || ctx.trades.get(trade.id) !== trade)
      return;
    if (verdict === "approved") {
      trade.approval = "approved";
      ctx.wallet.balanceCents -= trade.totalCents;
      resumeWithdraw(trade);
      return;
    }
    trade.approval = "rejected";
    trade.error = verdict === "rejected" ? "MERCHANT_REJECTED" : "APPROVAL_TIMEOUT";
    change(trade, trade.items, (item) => setItem(trade, item, "failed"));
  };

  const lifecycle: Lifecycle = {
    startDeposit(trade) {
      emit(trade);
      resumeDeposit(trade);
    },
    startWithdraw(trade) {
      trade.approval = "awaiting";
      const body = JSON.stringify({ trade: tradeJson(trade) });
      ctx.sender.approval(trade.id, body).then(
        (result) => {
          ctx.logger.info({ tradeId: trade.id, verdict: result.verdict }, "sandbox withdrawal approval");
          onApproval(trade, result.verdict);
        },
        () => undefined,
      );
    },
    requestCancel(trade, item) {
      item.cancelRequested = true;
      clock.after(
        0,
        `withdraw:cancel ${trade.id}`,
        () => {
          if (item.status === "pending") change(trade, [item], () => setItem(trade, item, "reverted"));
        },
        trade.id,
      );
      clock.kick();
    },
    force(trade, input) {
      if (input.error !== undefined && !TRADE_ERROR_SET.has(input.error)) {
        throw validationError({ error: `must be one of: ${TRADE_ERRORS.join(", ")}` }, 400);
      }
      clock.cancelTrade(trade.id);
      if (trade.type === "deposit") {
        if (input.itemId !== undefined) {
          throw validationError({ itemId: "deposit items have no status of their own" }, 400);
        }
        enterDeposit(trade, input.status, input);
        emit(trade);
        resumeDeposit(trade);
        return;
      }
      let targets: TradeItem[];
      if (input.itemId !== undefined) {
        const item = trade.items.find((i) => i.id === input.itemId || i.externalId === input.itemId);
        if (!item) throw new ApiError("ITEM_NOT_FOUND");
        targets = [item];
      } else {
        targets = trade.items.filter(
          (i) =>
            !TERMINAL.includes(i.status ?? "initiated") ||
            (input.status === "reverted" && i.status === "completed"),
        );
      }
      if (trade.approval === "awaiting" && input.status !== "initiated") {
        // Forcing past the approval gate counts as the merchant's approval (a forced failure does not).
        if (isInFlight(input.status) || input.status === "completed") {
          trade.approval = "approved";
          ctx.wallet.balanceCents -= trade.totalCents;
        } else {
          trade.approval = "rejected";
        }
      }
      if (input.revertedBy !== undefined) trade.revertedBy = input.revertedBy;
      const itemError =
        input.error !== undefined && ITEM_ERROR_SET.has(input.error) ? (input.error as ItemError) : undefined;
      if (input.error !== undefined && (input.itemId === undefined || itemError === undefined)) {
        trade.error = input.error as TradeErrorCode;
      }
      for (const item of targets) {
        if (input.status === "reverted" && item.status === "completed" && item.assetId) {
          ctx.inventories.take(trade.clientSteamID, encodeItemId(item.appid, item.assetId), 1);
        }
        setItem(trade, item, input.status, itemError);
      }
      settle(trade);
      emit(trade);
      resumeWithdraw(trade);
    },
  };
  return lifecycle;
}
