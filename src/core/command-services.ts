/**
 * What the commands layer may use of the core: one narrow interface per concern, each a slice of
 * a core service, composed into `CommandServices`. The composition root's full set of services
 * satisfies it as is; commands never see stores, keys, TTLs, locks or the AssetPay client.
 * A new command that needs more of the core adds the method it needs here, on its concern.
 */
import type { Logger } from "pino";
import type { Accounts } from "./accounts.ts";
import type { Admin } from "./admin.ts";
import type { ChatChoices } from "./chat-choices.ts";
import type { CommunityLog } from "./community-log.ts";
import type { Dashboard } from "./dashboard/dashboard.ts";
import type { Moderators } from "./dashboard/moderators.ts";
import type { SignInLinks } from "./dashboard/sign-in.ts";
import type { Identities } from "./identities.ts";
import type { Ledger } from "./ledger.ts";
import type { MarketSearch } from "./market-search.ts";
import type { Members } from "./members.ts";
import type { Recipient } from "./notifications.ts";
import type { SteamSignIn } from "./steam-signin.ts";
import type { Switches } from "./switches.ts";
import type { TradeRecords } from "./trade-records.ts";
import type { Trading } from "./trading.ts";
import type { Unlinking } from "./unlinking.ts";

/** Steam accounts linked by trade URL (unlinking goes through `Unlinking`, which guards it). */
export type LinkedAccounts = Pick<Accounts, "get" | "link" | "ownerOf" | "steamLock" | "move">;

/** The pickers a member or moderator opens, presses through and confirms; cancelling what started. */
export type TradeFlows = Pick<
  Trading,
  | "openDeposit"
  | "openWithdraw"
  | "openGiveaway"
  | "openLiquidation"
  | "act"
  | "load"
  | "confirm"
  | "cancelWithdrawal"
  | "cancelSelfItem"
  | "withLiveStatus"
>;

/** A member's trades as recorded, newest first, or found by id. */
export type TradeHistory = Pick<TradeRecords, "ofMember" | "byTradeId" | "byExternalId">;

/** Balances and the journal, read only: every move goes through a trade or a moderator's adjustment. */
export type BalanceReads = Pick<Ledger, "balance" | "journal">;

/** Moderator actions, each audited (lookups, adjustments, pauses, locks, the merchant wallet). */
export type Moderation = Pick<
  Admin,
  "lookup" | "adjust" | "setPaused" | "lock" | "unlock" | "wallet" | "liabilities"
>;

/** Member profiles: locale choice, flags, the name a moderator knows them by. */
export type MemberProfiles = Pick<Members, "get" | "update" | "touch">;

/** Which wallet each chat identity acts for, join codes, and where notices go. */
export type WalletIdentities = Pick<
  Identities,
  | "resolve"
  | "noteUse"
  | "join"
  | "split"
  | "issueCode"
  | "redeemCode"
  | "chooseForNotices"
  | "chosenForNotices"
>;

/** The pause switches, read (moderators set them through `Moderation`). */
export type PauseSwitches = Pick<Switches, "isPaused">;

/** The community wallet's audit trail (giveaways and liquidations). */
export type CommunityAudit = Pick<CommunityLog, "recent">;

/** Notices that could not be delivered, kept for the member's /inbox. */
export interface MemberInbox {
  inbox(recipient: Recipient, opts?: { limit?: number }): Promise<{ payload: unknown; failedAt: number }[]>;
  clearInbox(recipient: Recipient): Promise<number>;
}

/** Steam sign-in for /link: starting one, and linking once Steam confirmed it. */
export type SteamProof = Pick<SteamSignIn, "policy" | "start" | "confirm">;

/** The web dashboard as chat reaches it: a moderator's single-use sign-in link. */
export interface DashboardSignIn extends Pick<Dashboard, "signInUrl"> {
  moderators: Pick<Moderators, "vouch">;
  links: Pick<SignInLinks, "mint">;
}

/** The few settings commands show (how long a link or an auto-cancel lasts). */
export interface CommandSettings {
  assetpay: { autoCancelMinutes?: number | undefined };
  dashboard: { linkMinutes: number };
}

export interface CommandServices {
  config: CommandSettings;
  logger: Pick<Logger, "info" | "error" | "debug">;
  accounts: LinkedAccounts;
  unlinking: Unlinking;
  trading: TradeFlows;
  /** Skins on the market, both games: suggestions, a search's skins, listings, the cheapest. */
  market: MarketSearch;
  records: TradeHistory;
  ledger: BalanceReads;
  admin: Moderation;
  members: MemberProfiles;
  identities: WalletIdentities;
  /** Market suggestions and cancel buttons a chat message offers, remembered for its buttons. */
  choices: ChatChoices;
  switches: PauseSwitches;
  community: CommunityAudit;
  outbox: MemberInbox;
  /** Undefined when STEAM_SIGNIN is off. */
  signIn: SteamProof | undefined;
  dashboard: DashboardSignIn;
}
