/** The API surface: every operation the sandbox answers, as the contract names it. */
import type { Route } from "../router.ts";
import { cancelAllRoute, cancelItemRoute } from "./cancel.ts";
import { authenticateClientRoute, checkTradeUrlRoute } from "./clients.ts";
import { depositRoute, sellRoute } from "./deposit.ts";
import type { ApiDeps } from "./deps.ts";
import { clientInventoryRoute, secureInventoryRoute } from "./inventory.ts";
import { marketItemRoute, marketRoute, pricesRoute, suggestionsRoute } from "./market.ts";
import {
  clientTradesRoute,
  healthRoute,
  secureTradesRoute,
  tradeLookupRoute,
  walletRoute,
} from "./trades.ts";
import { buyRoute, quickBuyRoute, quickWithdrawRoute, withdrawRoute } from "./withdraw.ts";

export function apiRoutes(deps: ApiDeps, startedAt: number): Route[] {
  return [
    { method: "GET", template: "/health", auth: "none", handler: healthRoute(deps, startedAt) },
    { method: "GET", template: "/v1/wallets/me/balance", auth: "apiKey", handler: walletRoute(deps) },
    {
      method: "POST",
      template: "/auth/authenticate-client",
      auth: "apiKey",
      handler: authenticateClientRoute(deps),
    },
    { method: "POST", template: "/secure/check-tradeurl", auth: "apiKey", handler: checkTradeUrlRoute(deps) },
    { method: "GET", template: "/secure/prices", auth: "apiKey", handler: pricesRoute(deps) },
    { method: "GET", template: "/secure/inventory", auth: "apiKey", handler: secureInventoryRoute(deps) },
    { method: "GET", template: "/secure/market", auth: "apiKey", handler: marketRoute(deps) },
    { method: "GET", template: "/secure/market/item", auth: "apiKey", handler: marketItemRoute(deps) },
    { method: "POST", template: "/secure/sell", auth: "apiKey", handler: sellRoute(deps) },
    { method: "POST", template: "/secure/buy", auth: "apiKey", handler: buyRoute(deps) },
    { method: "POST", template: "/secure/buy/quick", auth: "apiKey", handler: quickBuyRoute(deps) },
    {
      method: "POST",
      template: "/secure/buy/{tradeId}/items/{itemId}/cancel",
      auth: "apiKey",
      handler: cancelItemRoute(deps, "self"),
    },
    {
      method: "POST",
      template: "/secure/buy/{tradeId}/cancel",
      auth: "apiKey",
      handler: cancelAllRoute(deps, "self"),
    },
    { method: "GET", template: "/secure/trades", auth: "apiKey", handler: secureTradesRoute(deps) },
    { method: "GET", template: "/secure/trades/{tradeId}", auth: "apiKey", handler: tradeLookupRoute(deps) },
    { method: "GET", template: "/client/inventory", auth: "client", handler: clientInventoryRoute(deps) },
    { method: "GET", template: "/client/trades", auth: "client", handler: clientTradesRoute(deps) },
    {
      method: "GET",
      template: "/client/market/suggestions",
      auth: "client",
      handler: suggestionsRoute(deps),
    },
    { method: "GET", template: "/client/market", auth: "client", handler: marketRoute(deps) },
    { method: "GET", template: "/client/market/item", auth: "client", handler: marketItemRoute(deps) },
    { method: "POST", template: "/client/trading/deposit", auth: "client", handler: depositRoute(deps) },
    { method: "POST", template: "/client/trading/withdraw", auth: "client", handler: withdrawRoute(deps) },
    {
      method: "POST",
      template: "/client/trading/withdraw/quick",
      auth: "client",
      handler: quickWithdrawRoute(deps),
    },
    {
      method: "POST",
      template: "/client/trading/withdraw/{tradeId}/items/{itemId}/cancel",
      auth: "client",
      handler: cancelItemRoute(deps, "client"),
    },
    {
      method: "POST",
      template: "/client/trading/withdraw/{tradeId}/cancel",
      auth: "client",
      handler: cancelAllRoute(deps, "client"),
    },
  ];
}
