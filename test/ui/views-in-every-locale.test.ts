/**
 * Every view the bot shows, built the way the core builds it from realistic worst-case data
 * (long skin names, full pages, every error and notice), in every locale: it must fit Discord's
 * and Telegram's limits, render without a missing text, and show money and counts the way
 * that language writes them.
 */

import { describe, expect, it } from "vitest";
import { dashboardLinkView } from "../../commands/admin/dashboard.ts";
import { priceView } from "../../commands/price.ts";
import { CLIENT_ERROR_KEYS, ERROR_KEYS } from "../../src/assetpay/error-codes.ts";
import { AssetPayError } from "../../src/assetpay/errors.ts";
import { TRADE_ERRORS, TRADE_STATUSES, type Trade, type TradeStatus } from "../../src/assetpay/schemas.ts";
import type { MemberReport } from "../../src/core/admin.ts";
import type { CommunityEvent } from "../../src/core/community-log.ts";
import { CoreError, type CoreErrorKey, type ErrorParams } from "../../src/core/errors.ts";
import type { LedgerEntry } from "../../src/core/ledger.ts";
import type { Notice, NoticeKind } from "../../src/core/notifications.ts";
import { MAX_SELECTED, newSessionId, type PickerEntry, type PickerSession } from "../../src/core/picker.ts";
import { movesCard } from "../../src/core/receipt-policy.ts";
import type { RecordItem, TradeRecord } from "../../src/core/trade-records.ts";
import type { ConfirmResult } from "../../src/core/trading.ts";
import { createI18n, type Locale, SUPPORTED_LOCALES } from "../../src/ui/i18n.ts";
import { viewToPlainText } from "../../src/ui/plain-text.ts";
import type { View } from "../../src/ui/view.ts";
import { viewLimitViolations } from "../../src/ui/view-limits.ts";
import {
  balanceView,
  helpView,
  inboxView,
  languageView,
  linkedView,
  linkShowView,
  tradesView,
} from "../../src/ui/views/account-views.ts";
import {
  communityAuditView,
  liabilitiesView,
  lookupView,
  walletView,
} from "../../src/ui/views/admin-views.ts";
import { errorView } from "../../src/ui/views/error-view.ts";
import { noticeView } from "../../src/ui/views/notice-view.ts";
import { pickerView } from "../../src/ui/views/picker-view.ts";
import { joinCodeView, joinedView, provableLinkView, signInView } from "../../src/ui/views/signin-views.ts";
import { tradeCardView } from "../../src/ui/views/trade-card-view.ts";
import { receiptView, suggestionsView } from "../../src/ui/views/trade-views.ts";

const NBSP = "\u00a0";
// Without onMissing, a missing text or placeholder value throws: no view may hide one.
const i18n = createI18n({ defaultLocale: "en" });

// ---- realistic worst-case data ------------------------------------------------------------------

/** Real market names, the longest kinds the Steam market has (StatTrak™ knives, souvenirs, stickers). */
const LONG_NAMES = [
  "★ StatTrak™ Huntsman Knife | Case Hardened (Battle-Scarred)",
  "Souvenir AWP | Dragon Lore (Factory New)",
  "★ StatTrak™ Butterfly Knife | Gamma Doppler (Minimal Wear)",
  "Sticker | Natus Vincere (Holo) | Katowice 2014",
  "★ Sport Gloves | Pandora's Box (Field-Tested)",
  "StatTrak™ M4A1-S | Chantico's Fire (Well-Worn)",
  "Sealed Graffiti | Recoil AK-47 (Monster Purple)",
  "Patch | Metal Distinguished Master Guardian ★",
  "★ StatTrak™ Karambit | Marble Fade (Factory New)",
  "Sticker | Team Dignitas (Holo) | Katowice 2014 — Tournament Edition",
  "Tempered AK47",
  "Big Grin Hoodie",
];
const nameAt = (i: number) => LONG_NAMES[i % LONG_NAMES.length] as string;
const EXTERIORS = ["Factory New", "Minimal Wear", "Field-Tested", "Well-Worn", "Battle-Scarred"];

function entry(i: number): PickerEntry {
  const e: PickerEntry = {
    id: `${730_000_000_000 + i}`,
    name: nameAt(i),
    // Up to five-figure prices: the widest amounts in every locale's format.
    priceCents: i % 7 === 3 ? 0 : 1_234_567 + i * 101,
    quotedCents: 1_200_000 + i * 100,
    amount: i % 5 === 0 ? 1_000 : 1,
    // Prices of 0 are items AssetPay does not accept; every 7th priced one is not tradable yet.
    selectable: i % 7 !== 3 && i % 11 !== 4,
    exterior: EXTERIORS[i % EXTERIORS.length] as string,
    wear: `0.${String(123_456_789_0 + i).padStart(10, "0")}`,
  };
  if (i % 4 === 1) e.phase = "Phase 4";
  // Part of a big stack chosen, and listings told apart by their stickers.
  if (i % 10 === 0) e.stack = 65_000;
  if (i % 6 === 2)
    e.stickers = Array.from({ length: 5 }, (_, k) => `Sticker | ${nameAt(i + k)} (Holo) | Katowice 2014`);
  return e;
}

function picker(over: Partial<PickerSession> & { count: number }): PickerSession {
  const entries = Array.from({ length: over.count }, (_, i) => entry(i));
  const { count: _, ...rest } = over;
  return {
    id: newSessionId(),
    owner: "discord:123456789012345678",
    kind: "deposit",
    game: "730",
    entries,
    // Selections on this page and elsewhere, as a member who paged back and forth leaves them.
    selected: entries.filter((e) => e.selectable).map((e) => e.id),
    page: 0,
    pageSize: 25,
    createdAt: Date.now(),
    expiresAt: Date.now() + 600_000,
    state: "open",
    ...rest,
  };
}

const TRADE_ID = "0f3c2a1e-8b7d-4c6e-9f5a-3d2b1c0e9f8a";
const OFFER_ID = "7712345678";

function recordItems(n: number): RecordItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${730_000_000_000 + i}`,
    name: nameAt(i),
    memberPriceCents: 1_234_567,
    quotedPriceCents: 1_200_000,
    amount: i % 5 === 0 ? 1_000 : 1,
  }));
}

function record(kind: "deposit" | "withdraw", n: number, over: Partial<TradeRecord> = {}): TradeRecord {
  const items = recordItems(n);
  return {
    externalId: `sb-${kind}-1`,
    tradeId: TRADE_ID,
    kind,
    source: "client",
    memberId: "discord:123456789012345678",
    game: "730",
    items,
    totalCents: items.reduce((sum, i) => sum + i.memberPriceCents * i.amount, 0),
    instant: false,
    createdAt: "2026-01-05T14:30:00.000Z",
    phase: "open",
    effects: {},
    ...over,
  };
}

function trade(over: Partial<Trade> = {}): Trade {
  return {
    id: TRADE_ID,
    type: "deposit",
    source: "client",
    clientSteamId: "76561198000000001",
    clientTradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=39734273&token=AbCdEfGh",
    offerId: OFFER_ID,
    status: "active",
    game: "730",
    items: [],
    totalCents: 123_456_700,
    createdAt: "2026-01-05T14:30:00.000Z",
    updatedAt: "2026-01-05T14:31:00.000Z",
    ...over,
  };
}

const confirmed = (r: TradeRecord, t?: Trade, pending = false): ConfirmResult => ({
  session: picker({ count: 1 }),
  record: r,
  ...(t ? { trade: t } : {}),
  ...(pending ? { pending } : {}),
});

const MANY_ITEMS = Array.from({ length: 40 }, (_, i) => nameAt(i));
const HOLD_END = "2026-01-12T14:30:00.000Z";

/** Every notice the outbox can send, in each variant that changes its text: the compiler wants every kind. */
const NOTICES = {
  "deposit.offer": [{ offerId: OFFER_ID }],
  "deposit.hold": [
    { holdEndDate: HOLD_END },
    { amountCents: 61_728_350, pendingCents: 61_728_350, balanceCents: 999_999_999 },
  ],
  "deposit.credited": [{ amountCents: 123_456_700, balanceCents: 999_999_999, items: MANY_ITEMS }],
  "deposit.failed": [
    { status: "declined" },
    { status: "canceled" },
    ...[...TRADE_ERRORS, "SOMETHING_NEW", undefined].map((reason) => ({ status: "failed", reason })),
  ],
  "deposit.reverted": [{ amountCents: 123_456_700, balanceCents: -123_456_700 }],
  "withdraw.rejected": [{}],
  "withdraw.approved": [{ amountCents: 123_456_700, items: MANY_ITEMS }],
  "withdraw.offer": [{ offerId: OFFER_ID, items: MANY_ITEMS }],
  "withdraw.hold": [{ holdEndDate: HOLD_END }],
  "withdraw.completed": [{ amountCents: 123_456_700, items: MANY_ITEMS }],
  "withdraw.failed": [...TRADE_ERRORS, undefined].map((reason) => ({
    reason,
    amountCents: 123_456_700,
    balanceCents: 999_999_999,
  })),
  "withdraw.itemRefunded": [...TRADE_ERRORS, undefined].map((reason) => ({
    reason,
    items: [nameAt(0)],
    amountCents: 1_234_567,
    balanceCents: 999_999_999,
  })),
  "admin.negativeBalance": [{ memberId: "telegram:1234567890", balanceCents: -123_456_700 }],
  "admin.withdrawalReverted": [
    { memberId: "telegram:1234567890", amountCents: 123_456_700, items: ["AK-47 | Redline (Field-Tested)"] },
  ],
  "gift.offer": [{ offerId: OFFER_ID, items: MANY_ITEMS.slice(0, 3) }],
  "gift.received": [{ items: MANY_ITEMS }],
  "community.trade": [...TRADE_STATUSES, undefined].flatMap((status) =>
    (["giveaway", "liquidation"] as const).map((community) => ({
      community,
      status,
      amountCents: 123_456_700,
      items: MANY_ITEMS.slice(0, 10),
    })),
  ),
} satisfies Record<NoticeKind, Partial<Omit<Notice, "kind">>[]>;

const notices = (): Notice[] =>
  Object.entries(NOTICES).flatMap(([kind, variants]) =>
    variants.map((v) => {
      const n: Notice = { kind: kind as NoticeKind, tradeId: TRADE_ID, game: "730" };
      for (const [k, value] of Object.entries(v)) if (value !== undefined) Object.assign(n, { [k]: value });
      return n;
    }),
  );

/** Every core refusal with the parameters its thrower gives it: the compiler wants every key. */
const CORE_ERRORS = {
  notLinked: [{}],
  alreadyLinked: [{ steamId: "76561198000000001" }],
  steamAccountTaken: [{}],
  invalidTradeUrl: [{}],
  tradeUrlState: Array.from({ length: 10 }, (_, i) => ({ state: i + 1 })),
  tradeUrlEscrow: [{ days: 15 }],
  insufficientBalance: [{ needed: 123_456_700, available: 1_234_567 }],
  pickerExpired: [{}],
  pickerNotYours: [{}],
  nothingSelected: [{}],
  tooManySelected: [{ max: MAX_SELECTED.deposit }, { max: MAX_SELECTED.withdraw }],
  depositsPaused: [{}],
  withdrawalsPaused: [{}],
  memberLocked: [{}],
  withdrawalsLockedNegative: [{}],
  alreadyConfirmed: [{}],
  tradeInProgress: [{}],
  cancelTooSoon: [{ minutes: 29 }],
  notCancellable: [{}],
  notAdmin: [{}],
  unknownMember: [{}],
  amountInvalid: [{}],
  reasonRequired: [{}],
  internal: [{}],
  linkChanged: [{}],
  signinExpired: [{}],
  signinNotYours: [{}],
  signinPending: [{}],
  unlinkLocked: [{}],
  steamAccountLocked: [{}],
  joinHostsOthers: [{}],
  joinCodeInvalid: [{}],
} satisfies Record<CoreErrorKey, ErrorParams[]>;

function journalEntries(n: number): LedgerEntry[] {
  const shapes: Pick<LedgerEntry, "op" | "reason" | "availableDeltaCents" | "heldDeltaCents">[] = [
    { op: "credit", reason: "deposit", availableDeltaCents: 123_456_700, heldDeltaCents: 0 },
    { op: "credit", reason: "deposit-precredit", availableDeltaCents: 61_728_350, heldDeltaCents: 0 },
    { op: "debit", reason: "deposit-reverted", availableDeltaCents: -123_456_700, heldDeltaCents: 0 },
    { op: "hold", reason: "withdraw", availableDeltaCents: -123_456_700, heldDeltaCents: 123_456_700 },
    { op: "settle", reason: "withdraw-delivered", availableDeltaCents: 0, heldDeltaCents: -123_456_700 },
    { op: "release", reason: "withdraw-refund", availableDeltaCents: 1_234_567, heldDeltaCents: -1_234_567 },
    { op: "adjust", reason: "compensation for a stuck trade", availableDeltaCents: -500, heldDeltaCents: 0 },
  ];
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    key: `k${i}`,
    memberId: "discord:123456789012345678",
    tradeId: TRADE_ID,
    actor: "discord:987654321098765432",
    at: "2026-01-05T14:30:00.000Z",
    ...(shapes[i % shapes.length] as (typeof shapes)[number]),
  }));
}

function tradeRecords(n: number): TradeRecord[] {
  const phases: TradeRecord["phase"][] = ["started", "failed-to-start", "open", "closed"];
  return Array.from({ length: n }, (_, i) =>
    record(i % 2 === 0 ? "deposit" : "withdraw", i % 3 === 0 ? 1 : 25, {
      phase: phases[i % phases.length] as TradeRecord["phase"],
      status: TRADE_STATUSES[i % TRADE_STATUSES.length] as TradeStatus,
    }),
  );
}

function report(locked: "none" | "locked" | "negative"): MemberReport {
  return {
    memberId: "discord:123456789012345678",
    profile: {
      memberId: "discord:123456789012345678",
      ...(locked === "locked" ? { locked: { reason: "chargeback", by: "admin", at: HOLD_END } } : {}),
      ...(locked === "negative" ? { withdrawalsLocked: { reason: "negative", at: HOLD_END } } : {}),
    },
    link: {
      memberId: "discord:123456789012345678",
      steamId: "76561198000000001",
      tradeUrl: trade().clientTradeUrl,
      linkedAt: HOLD_END,
    },
    balance: { availableCents: -123_456_700, heldCents: 999_999_999 },
    journal: journalEntries(10),
    trades: tradeRecords(10),
  };
}

/** The longest names Discord allows (32), for the members and moderators a view names. */
const MEMBER_NAMES = new Map([
  ["discord:123456789012345678", "A Member With A Long Display Nam"],
  ["discord:987654321098765432", "A Moderator With A Long Name 123"],
]);

function communityEvents(n: number): CommunityEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    at: HOLD_END,
    // Distinct trades: the audit shows one row per trade.
    tradeId: `${TRADE_ID.slice(0, -4)}${String(i).padStart(4, "0")}`,
    externalId: `sb-self-${i}`,
    kind: i % 2 === 0 ? "giveaway" : "liquidation",
    actor: "discord:987654321098765432",
    ...(i % 2 === 0 ? { recipient: "discord:123456789012345678" } : {}),
    status: TRADE_STATUSES[i % TRADE_STATUSES.length] as string,
    totalCents: 123_456_700,
    items: MANY_ITEMS,
  }));
}

// ---- every view -----------------------------------------------------------------------------------

type Build = (locale: Locale) => View | View[];
const session = newSessionId();
const longest = "x".repeat(100);

/** The views, at the sizes the commands really ask for (25 a page on Discord, 8 on Telegram, /trades 10…). */
const VIEWS: [string, Build][] = [
  [
    "a deposit picker page of 25 on Discord",
    (l) => pickerView(i18n, l, picker({ count: 60, page: 1 }), { selectMenu: true }),
  ],
  [
    "a deposit picker page of 8 on Telegram",
    (l) => pickerView(i18n, l, picker({ count: 60, pageSize: 8, page: 7 })),
  ],
  [
    "a withdraw picker with the balance and a refreshed notice",
    (l) =>
      [25, 8].map((pageSize) =>
        pickerView(
          i18n,
          l,
          picker({
            count: 60,
            pageSize,
            kind: "withdraw",
            catalog: { id: "cat-1", name: nameAt(2) },
            notice: "pricesRefreshed",
          }),
          { balanceCents: -123_456_700 },
        ),
      ),
  ],
  [
    "a community giveaway and liquidation picker",
    (l) => [
      pickerView(
        i18n,
        l,
        picker({
          count: 30,
          kind: "withdraw",
          self: { kind: "giveaway", recipient: "discord:1", tradeUrl: trade().clientTradeUrl },
        }),
        { recipientName: "A Member With A Rather Long Display Name#0001" },
      ),
      pickerView(
        i18n,
        l,
        picker({ count: 30, self: { kind: "liquidate", tradeUrl: trade().clientTradeUrl } }),
      ),
    ],
  ],
  [
    "an empty picker for each game and kind",
    (l) => [
      pickerView(i18n, l, picker({ count: 0 })),
      pickerView(i18n, l, picker({ count: 0, game: "252490" })),
      pickerView(i18n, l, picker({ count: 0, kind: "withdraw" })),
    ],
  ],
  [
    "a deposit receipt of a full page, a split deposit and a pending one",
    (l) => [
      receiptView(i18n, l, confirmed(record("deposit", 25), trade())),
      receiptView(i18n, l, confirmed(record("deposit", 25), trade({ relatedTrades: [trade(), trade()] }))),
      receiptView(i18n, l, confirmed(record("deposit", 25), undefined, true)),
    ],
  ],
  [
    "a withdrawal receipt and a pending withdrawal",
    (l) => [
      receiptView(i18n, l, confirmed(record("withdraw", 25), trade({ type: "withdraw", status: "pending" }))),
      receiptView(i18n, l, confirmed(record("withdraw", 25), undefined, true)),
    ],
  ],
  [
    "a community self-trade receipt",
    (l) => [
      receiptView(
        i18n,
        l,
        confirmed(record("withdraw", 1, { source: "self", recipientId: "discord:1" }), trade()),
      ),
      receiptView(i18n, l, confirmed(record("deposit", 25, { source: "self" }), trade())),
    ],
  ],
  [
    "a balance with held money, a negative balance and recent history",
    (l) => [
      balanceView(i18n, l, { availableCents: 999_999_999, heldCents: 123_456_700 }, journalEntries(5)),
      balanceView(i18n, l, { availableCents: -123_456_700, heldCents: 0 }),
    ],
  ],
  ["ten recent trades, and none", (l) => [tradesView(i18n, l, tradeRecords(10)), tradesView(i18n, l, [])]],
  [
    "ten recent trades with a Cancel button for each of ten slow withdrawals (five shown)",
    (l) => tradesView(i18n, l, tradeRecords(10), { session: "AbCdEfGhIj", records: tradeRecords(10) }),
  ],
  [
    "the inbox of missed notices, and an empty one",
    (l) => [
      inboxView(
        i18n,
        l,
        notices()
          .slice(0, 5)
          .map((payload) => ({ payload, failedAt: Date.parse(HOLD_END) })),
      ),
      inboxView(i18n, l, []),
    ],
  ],
  ["help for members and moderators", (l) => [helpView(i18n, l, false), helpView(i18n, l, true)]],
  ["the language picker", (l) => languageView(i18n, l, session)],
  [
    "a linked, updated and shown Steam account",
    (l) => {
      const link = report("none").link;
      if (!link) throw new Error("report without a link");
      return [
        linkedView(i18n, l, link, false),
        linkedView(i18n, l, link, true),
        linkShowView(i18n, l, link),
        linkShowView(i18n, l, undefined),
      ];
    },
  ],
  [
    "the Steam sign-in step, a provable link, a join code and a joined wallet",
    (l) => {
      const link = report("none").link;
      if (!link) throw new Error("report without a link");
      // The longest sign-in URL: a public URL with a path, and the state token.
      const signIn = {
        id: session,
        url: `https://skins.example-community.org/bot/steam/signin?state=${"x".repeat(60)}`,
      };
      return [
        signInView(i18n, l, link.steamId, signIn),
        provableLinkView(linkedView(i18n, l, link, false), i18n, l, link, signIn),
        joinCodeView(i18n, l, "ABCDEFGH"),
        joinedView(i18n, l, 123_456_789_00),
      ];
    },
  ],
  ["every notice the outbox sends", (l) => notices().map((n) => noticeView(i18n, l, n))],
  [
    "every trade step as its live receipt card",
    (l) =>
      notices()
        .filter(movesCard)
        .map((n) => tradeCardView(i18n, l, n)),
  ],
  [
    "every core refusal",
    (l) =>
      Object.entries(CORE_ERRORS).flatMap(([key, variants]) =>
        variants.map((params) => errorView(i18n, l, new CoreError(key as CoreErrorKey, params))),
      ),
  ],
  [
    "every AssetPay error, one we have never seen and an unexpected failure",
    (l) => [
      ...[...ERROR_KEYS, ...CLIENT_ERROR_KEYS, "SOMETHING_NEW"].map((key) =>
        errorView(
          i18n,
          l,
          new AssetPayError({ status: 429, code: 0, key, message: key, operation: "test", retryAfter: 3600 }),
        ),
      ),
      errorView(i18n, l, new Error("boom")),
    ],
  ],
  [
    "a member lookup for each member status",
    (l) =>
      (["none", "locked", "negative"] as const).map((status) =>
        lookupView(i18n, l, report(status), MEMBER_NAMES),
      ),
  ],
  [
    "the liabilities, and the community wallet covered, short and unknown",
    (l) => {
      const totals = { availableCents: 999_999_999, heldCents: 123_456_700, members: 12_345 };
      return [
        liabilitiesView(i18n, l, totals),
        walletView(i18n, l, { balanceCents: 9_999_999_999 }, totals),
        walletView(i18n, l, { balanceCents: 1_234_567 }, totals),
        walletView(i18n, l, undefined, totals),
      ];
    },
  ],
  [
    "a dashboard sign-in link on a long public URL",
    (l) =>
      dashboardLinkView(
        i18n,
        l,
        `https://skinbridge-bot.example-community.com/dashboard/sign-in?token=${"A".repeat(43)}`,
        60,
      ),
  ],
  [
    "the community audit of a few trades, and an empty one",
    (l) => [
      communityAuditView(i18n, l, communityEvents(5), { page: 0, names: MEMBER_NAMES }),
      communityAuditView(i18n, l, [], { page: 0, names: MEMBER_NAMES }),
    ],
  ],
  [
    "five search suggestions with long names, and none for a long query",
    (l) => [
      suggestionsView(
        i18n,
        l,
        "AK",
        session,
        Array.from({ length: 5 }, (_, i) => ({ name: `${nameAt(i)} ${longest}` })),
      ),
      suggestionsView(i18n, l, longest, session, []),
    ],
  ],
  [
    "/price for a long CS2 name with a large price, for Rust, and nothing matched for a long query",
    (l) => [
      priceView(i18n, l, "stattrak", "730", {
        game: "730",
        match: { id: "0010f8d48278ccb8", name: nameAt(0) },
        listing: { ...entry(0), priceCents: 99_999_999 },
        listings: 100,
      }),
      priceView(i18n, l, "ak47", "252490", {
        game: "252490",
        match: { id: "Tempered AK47", name: "Tempered AK47" },
        listing: entry(10),
        listings: 1,
      }),
      priceView(i18n, l, longest, "252490", undefined),
    ],
  ],
  [
    "ten search suggestions show the first five, one per row",
    (l) =>
      suggestionsView(
        i18n,
        l,
        "AK",
        session,
        Array.from({ length: 10 }, (_, i) => ({ name: nameAt(i) })),
      ),
  ],
  [
    "every page of the community audit of 15 trades fits one message",
    (l) =>
      [0, 1].map((page) => communityAuditView(i18n, l, communityEvents(15), { page, names: MEMBER_NAMES })),
  ],
  [
    "/inbox with 20 missed refunds shows what fits one message",
    (l) =>
      inboxView(
        i18n,
        l,
        Array.from({ length: 20 }, () => ({
          payload: {
            kind: "withdraw.itemRefunded",
            tradeId: TRADE_ID,
            game: "730",
            reason: "BUYER_TRADE_RESTRICTED",
            items: [nameAt(0)],
            amountCents: 1_234_567,
            balanceCents: 999_999_999,
          } satisfies Notice,
          failedAt: Date.parse(HOLD_END),
        })),
      ),
  ],
  [
    `a receipt for the most a member may pick (${MAX_SELECTED.withdraw} to withdraw, ${MAX_SELECTED.deposit} to deposit) sums up past ten rows`,
    (l) => [
      receiptView(i18n, l, confirmed(record("withdraw", MAX_SELECTED.withdraw), trade({ type: "withdraw" }))),
      receiptView(i18n, l, confirmed(record("deposit", MAX_SELECTED.deposit), trade())),
    ],
  ],
];

/**
 * Views that break a limit in every language, English included, at the sizes their commands
 * allow: a fault of the view's shape, not of a translation (the renderers cut them down to fit,
 * so the member sees a shortened message). Pinned to the limit they break, so a worse break fails
 * here and a fix does too: then the case belongs in VIEWS above.
 */
const asList = (v: View | View[]) => (Array.isArray(v) ? v : [v]);

describe.each(SUPPORTED_LOCALES)("in %s", (locale) => {
  it.each(VIEWS)("%s fits Discord and Telegram", (_, build) => {
    const views = asList(build(locale));
    expect(views.length).toBeGreaterThan(0);
    const broken = views
      .map((view, i) => ({ i, violations: viewLimitViolations(view) }))
      .filter((v) => v.violations.length > 0);
    expect(broken).toEqual([]);
    // Nothing half-filled reaches a member: no placeholder left standing.
    for (const view of views) expect(viewToPlainText(view, { controls: true })).not.toMatch(/\{\{|\}\}/);
  });
});

describe("money in each language's own format", () => {
  // Whatever Intl gives for US dollars, pinned so a format change is seen, not shipped unnoticed.
  const expected: Record<Locale, string> = {
    en: "$1,234.56",
    ru: `1${NBSP}234,56${NBSP}$`,
    "pt-BR": `US$${NBSP}1.234,56`,
    de: `1.234,56${NBSP}$`,
    es: `1234,56${NBSP}US$`,
    tr: "$1.234,56",
    pl: `1234,56${NBSP}USD`,
    uk: `1${NBSP}234,56${NBSP}USD`,
  };

  it.each(SUPPORTED_LOCALES)("formats a %s balance the way Intl writes US dollars there", (locale) => {
    expect(i18n.money(locale, 123_456)).toBe(expected[locale]);
    const view = balanceView(i18n, locale, { availableCents: 123_456, heldCents: 0 });
    expect(viewToPlainText(view)).toContain(expected[locale]);
    if (locale !== "en") expect(viewToPlainText(view)).not.toContain("$1,234.56");
  });

  it("signs a German adjustment and puts the dollar sign after the amount", () => {
    expect(i18n.money("de", 1_250, { signed: true })).toBe(`+12,50${NBSP}$`);
    expect(i18n.money("de", -500, { signed: true })).toBe(`-5,00${NBSP}$`);
  });
});

describe("counts in each language's own plural forms", () => {
  it("says 1 предмет, 2 предмета, 5 предметов and 21 предмет in Russian", () => {
    expect([1, 2, 5, 11, 21, 22].map((count) => i18n.t("ru", "common.items", { count }))).toEqual([
      "1 предмет",
      "2 предмета",
      "5 предметов",
      "11 предметов",
      "21 предмет",
      "22 предмета",
    ]);
  });

  it("says 1 przedmiot, 2 przedmioty, 5 przedmiotów and 22 przedmioty in Polish", () => {
    expect([1, 2, 5, 12, 22].map((count) => i18n.t("pl", "common.items", { count }))).toEqual([
      "1 przedmiot",
      "2 przedmioty",
      "5 przedmiotów",
      "12 przedmiotów",
      "22 przedmioty",
    ]);
  });

  it("says 1 предмет, 3 предмети and 5 предметів in Ukrainian", () => {
    expect([1, 3, 5].map((count) => i18n.t("uk", "common.items", { count }))).toEqual([
      "1 предмет",
      "3 предмети",
      "5 предметів",
    ]);
  });

  it("uses the zero form for an empty selection and the counted forms in a Russian picker", () => {
    const s = picker({ count: 10 });
    const selectedLine = (selected: number) => {
      s.selected = s.entries
        .filter((e) => e.selectable)
        .slice(0, selected)
        .map((e) => e.id);
      return viewToPlainText(pickerView(i18n, "ru", s));
    };
    expect(selectedLine(0)).toContain("Ничего не выбрано");
    expect(selectedLine(1)).toContain("Выбран 1 предмет");
    expect(selectedLine(2)).toContain("Выбрано 2 предмета");
    expect(selectedLine(5)).toContain("Выбрано 5 предметов");
  });

  it("tells a Portuguese and a German member how many trade offers a split deposit became", () => {
    const split = confirmed(record("deposit", 3), trade({ relatedTrades: [trade(), trade()] }));
    expect(viewToPlainText(receiptView(i18n, "pt-BR", split))).toContain("dividido em 3 ofertas de troca");
    expect(viewToPlainText(receiptView(i18n, "de", split))).toContain("auf 3 Tauschangebote aufgeteilt");
  });
});

describe("rendering every view in every locale", () => {
  it("never met a missing text or placeholder value", () => {
    for (const locale of SUPPORTED_LOCALES) for (const [, build] of VIEWS) build(locale);
    expect(i18n.problems()).toEqual([]);
  });
});
