/** POST /auth/authenticate-client and POST /secure/check-tradeurl. */
import { mintClientToken } from "../../assetpay/token.ts";
import { profileForTradeUrl } from "../magic.ts";
import type { RouteRequest } from "../router.ts";
import { AuthenticateClientBody, CheckTradeUrlBody, validate } from "../validation.ts";
import type { ApiDeps } from "./deps.ts";

export function authenticateClientRoute({ ctx }: ApiDeps) {
  return (req: RouteRequest) => {
    const body = validate(AuthenticateClientBody, req.body ?? {});
    const clientData = body.clientData === undefined ? undefined : stripUndefined(body.clientData);
    const { token } = mintClientToken({
      merchantId: ctx.config.merchantId,
      apiSecret: ctx.config.apiSecret,
      steamId: body.clientSteamId,
      tradeUrl: body.clientTradeUrl,
      ...(body.clientId !== undefined ? { clientId: body.clientId } : {}),
      ...(clientData !== undefined ? { clientData } : {}),
    });
    // clientData is overwritten on every authentication, as AssetPay documents.
    ctx.clients.set(body.clientSteamId, {
      steamId: body.clientSteamId,
      tradeUrl: body.clientTradeUrl,
      ...(body.clientId !== undefined ? { clientId: body.clientId } : {}),
      ...(clientData !== undefined ? { clientData } : {}),
    });
    return { token };
  };
}

export function checkTradeUrlRoute(_deps: ApiDeps) {
  return (req: RouteRequest) => {
    const body = validate(CheckTradeUrlBody, req.body ?? {});
    return profileForTradeUrl(body.tradeurl).check;
  };
}

function stripUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
