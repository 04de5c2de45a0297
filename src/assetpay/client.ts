/**
 * The typed AssetPay client skinbridge builds on. Money crosses this boundary as integer cents in
 * both directions (see requests.ts); member calls carry a cached client token, replayed once with
 * a fresh one if AssetPay calls it invalid; trade-creating POSTs are sent exactly once and, when
 * they fail on the way, settled by looking the trade up by externalId (see recovery.ts), so a
 * member is never charged or credited twice for one click.
 */
import type { z } from "zod";
import {
  type AssetPayClientOptions,
  type CallOptions,
  createAuthedCalls,
  type NamedRequest,
} from "./authed-calls.ts";
import { ENDPOINTS, type Endpoint, type EndpointAuth, type EndpointName } from "./endpoints.ts";
import { createLookups } from "./lookups.ts";
import { createTradeOnce } from "./recovery.ts";
import type { Trade } from "./schemas.ts";
import type { ClientData } from "./token.ts";
import type { ClientIdentity } from "./token-cache.ts";

export type { AssetPayClientOptions, CallOptions, TimeoutOptions } from "./authed-calls.ts";
export { DEFAULT_TIMEOUTS } from "./authed-calls.ts";
export type { OperationName } from "./endpoints.ts";
export type * from "./requests.ts";
export type { ClientIdentity, TokenStore } from "./token-cache.ts";

/** A table entry's method: a member endpoint takes the member's identity first; per-call options last. */
type MethodOf<E> =
  E extends Endpoint<infer Auth, infer A, z.ZodType, infer R>
    ? Auth extends "member"
      ? (identity: ClientIdentity, ...args: [...A, opts?: CallOptions]) => Promise<R>
      : (...args: [...A, opts?: CallOptions]) => Promise<R>
    : never;

/** One method per entry of the endpoint table, named as the entry (the lookups are getTrade/getTrades). */
export type EndpointMethods = { [K in Exclude<EndpointName, "getTrades">]: MethodOf<(typeof ENDPOINTS)[K]> };

export interface AssetPayClient extends EndpointMethods {
  /** A fresh token (cached for later calls); clientData feeds AssetPay's instant-credit risk model. */
  authenticateClient(identity: ClientIdentity, clientData?: ClientData): Promise<string>;
  /** By trade id or externalId; a miss is AssetPayError TRADE_NOT_FOUND. */
  getTrade(ref: string, opts?: CallOptions): Promise<Trade>;
  /** Batch lookup; misses are simply absent from the result. */
  getTrades(refs: readonly string[], opts?: CallOptions): Promise<Trade[]>;
  /** Closes the connection pool (an injected dispatcher stays open). */
  close(): Promise<void>;
}

type AnyEndpoint = Endpoint<EndpointAuth, unknown[], z.ZodType, unknown>;

export function createAssetPayClient(opts: AssetPayClientOptions): AssetPayClient {
  const { asMerchant, asMember, tokens, close } = createAuthedCalls(opts);
  const { getTrade, getTrades } = createLookups(asMerchant);

  /** The method for one table entry: checked, sent with its auth, read; trade-creating ones sent once. */
  function endpointMethod(name: EndpointName, e: AnyEndpoint) {
    // Arguments the request takes; the per-call options follow them (see endpoints.ts).
    const arity = e.request.length;
    return async (...all: unknown[]): Promise<unknown> => {
      const identity = e.auth === "member" ? (all.shift() as ClientIdentity) : undefined;
      const args = all.slice(0, arity);
      const callOpts = all[arity] as CallOptions | undefined;
      e.check?.(...args);
      const send = async () => {
        const request: NamedRequest<z.ZodType> = { ...e.request(...args), operation: name };
        const data = identity
          ? await asMember(identity, request, callOpts)
          : await asMerchant(request, callOpts);
        return e.result ? e.result(data) : data;
      };
      if (e.creates === undefined) return send();
      return createTradeOnce(
        {
          operation: name,
          kind: e.creates,
          externalId: (args[0] as { externalId?: string }).externalId,
          lookup: (ref) => getTrade(ref, callOpts),
          ...(opts.logger === undefined ? {} : { logger: opts.logger }),
        },
        send as () => Promise<Trade>,
      );
    };
  }

  const methods = Object.fromEntries(
    (Object.entries(ENDPOINTS) as [EndpointName, AnyEndpoint][])
      .filter(([name]) => name !== "getTrades")
      .map(([name, e]) => [name, endpointMethod(name, e)]),
  ) as EndpointMethods;

  return {
    ...methods,
    async authenticateClient(identity, clientData) {
      // Always a fresh token: AssetPay overwrites its risk data with each authentication.
      return tokens.get(identity, clientData === undefined ? { fresh: true } : { fresh: true, clientData });
    },
    getTrade,
    getTrades,
    close,
  };
}
