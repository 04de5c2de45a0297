/**
 * Starts the AssetPay trade a member's confirmed picker describes: a deposit sells their skins
 * for balance, a withdrawal buys listings with it. AssetPay is sent the prices it quoted; the
 * basket remembers the prices the member saw (fee included).
 */
import type { AssetPayClient } from "../../assetpay/client.ts";
import type { GameId } from "../../assetpay/schemas.ts";
import type { Accounts } from "../accounts.ts";
import { CoreError } from "../errors.ts";
import type { Ledger, MemberId } from "../ledger.ts";
import type { Members } from "../members.ts";
import { type PickerEntry, type PickerSession, selectedTotal } from "../picker.ts";
import type { Switches } from "../switches.ts";
import { newExternalId, type TradeRecord } from "../trade-records.ts";
import { basketItems, depositItems, listingItems } from "./entries.ts";
import { requireMayTrade } from "./member-guard.ts";
import type { StartedTrade, StartTrade } from "./start-trade.ts";

export interface MemberTradeDeps {
  client: AssetPayClient;
  accounts: Accounts;
  members: Members;
  switches: Switches;
  ledger: Ledger;
  instantCredit: boolean;
  autoCancelMinutes?: number;
  now: () => Date;
  start: StartTrade;
}

export async function startMemberTrade(
  deps: MemberTradeDeps,
  s: PickerSession,
  memberId: MemberId,
  chosen: PickerEntry[],
  startedBy?: MemberId,
): Promise<StartedTrade> {
  const { client, accounts } = deps;
  await requireMayTrade(deps, memberId, s.kind);
  const link = await accounts.require(memberId);
  const identity = accounts.identity(link);
  const total = selectedTotal(s);
  if (s.kind === "withdraw") {
    // A friendly early answer; the approval callback does the authoritative atomic hold.
    const balance = await deps.ledger.balance(memberId);
    if (balance.availableCents < total) {
      throw new CoreError("insufficientBalance", { needed: total, available: balance.availableCents });
    }
  }
  const record: TradeRecord = {
    externalId: newExternalId(s.kind),
    kind: s.kind,
    source: "client",
    memberId,
    game: s.game,
    items: basketItems(chosen),
    totalCents: total,
    instant: s.kind === "deposit" && deps.instantCredit,
    createdAt: deps.now().toISOString(),
    phase: "started",
    ...(startedBy !== undefined ? { startedBy } : {}),
  };
  return deps.start(s, record, (externalId) =>
    s.kind === "deposit"
      ? client.deposit(identity, {
          items: depositItems(chosen),
          game: s.game as GameId,
          externalId,
          isInstant: record.instant,
        })
      : client.withdraw(identity, {
          items: listingItems(chosen),
          game: s.game as GameId,
          externalId,
          ...(deps.autoCancelMinutes !== undefined ? { autoCancel: deps.autoCancelMinutes } : {}),
        }),
  );
}
