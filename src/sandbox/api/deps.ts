/** What every route handler needs, plus small helpers they share. */
import type { ClientData } from "../../assetpay/token.ts";
import { CS2, type Game, RUST } from "../catalog.ts";
import { type CollateralLimits, providerCollateralCents } from "../collateral.ts";
import type { SandboxContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import type { Lifecycle } from "../lifecycle.ts";
import { steamIdFromTradeUrl } from "../magic.ts";
import type { Caller, RouteRequest } from "../router.ts";
import type { TradeParty } from "../trade-factory.ts";

export interface ApiDeps {
  ctx: SandboxContext;
  lifecycle: Lifecycle;
}

export type ClientCaller = Extract<Caller, { kind: "client" }>;

export function requireClient(req: RouteRequest): ClientCaller {
  if (req.caller.kind !== "client") throw new ApiError("MISSING_BEARER");
  return req.caller;
}

export function gameOf(game: string | number | undefined): Game {
  return String(game ?? CS2) === RUST ? RUST : CS2;
}

/** The user's collateral ceiling: control-API overrides, else the provider model and no merchant collateral. */
export function collateralLimits(
  ctx: SandboxContext,
  steamId: string,
  clientData?: ClientData,
): CollateralLimits {
  const override = ctx.collateral.get(steamId);
  const data = clientData ?? ctx.clients.get(steamId)?.clientData;
  return {
    providerCents: override?.providerCents ?? providerCollateralCents(data, ctx.clock.nowMs()),
    merchantCents: override?.merchantCents ?? 0,
  };
}

/** The merchant's own user id for this client: from the token, else from authenticate-client. */
export function clientIdOf(ctx: SandboxContext, caller: ClientCaller): string | undefined {
  return caller.claims.client.clientId ?? ctx.clients.get(caller.steamId)?.clientId;
}

/** The client a client-route trade is for: the token's SteamID, trade URL and client data. */
export function clientParty(ctx: SandboxContext, req: RouteRequest): TradeParty {
  const caller = requireClient(req);
  const clientId = clientIdOf(ctx, caller);
  const { clientData } = caller.claims.client;
  return {
    source: "client",
    steamId: caller.steamId,
    tradeUrl: caller.tradeUrl,
    ...(clientId !== undefined ? { clientId } : {}),
    ...(clientData !== undefined ? { clientData } : {}),
  };
}

/** The user a merchant self-trade is for, named by its trade URL. */
export function selfParty(tradeUrl: string): TradeParty {
  const steamId = steamIdFromTradeUrl(tradeUrl);
  if (steamId === undefined) throw new ApiError("INVALID_TRADEURL");
  return { source: "self", steamId, tradeUrl };
}
