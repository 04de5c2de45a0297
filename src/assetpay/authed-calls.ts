/**
 * Sending one AssetPay request with its authentication: merchant calls carry the API key;
 * member calls carry the member's cached client token and, if AssetPay refuses it (it is
 * refused before the server does anything, so a replay is safe), are replayed once under the
 * same request id with a freshly minted one. Each call gets its operation's timeout and is
 * marked idempotent only when sending it twice is harmless.
 */
import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import type { z } from "zod";
import { ENDPOINTS, type OperationName, type Request } from "./endpoints.ts";
import { AssetPayError } from "./errors.ts";
import {
  type Call,
  createTransport,
  DEFAULT_RETRY,
  type LoggerLike,
  type ResponseInfo,
  type RetryPolicy,
} from "./http.ts";
import { compact } from "./requests.ts";
import { TokenData } from "./schemas.ts";
import { type ClientIdentity, createTokenCache, type TokenStore } from "./token-cache.ts";

// POSTs without side effects: one only reads, the other re-issues a token.
const IDEMPOTENT_POSTS: ReadonlySet<OperationName> = new Set(["checkTradeUrl", "authenticateClient"]);
/** Auth failures raised before the server does anything, so replaying with a new token is safe. */
const TOKEN_REJECTED = new Set(["INVALID_TOKEN", "TOKEN_EXPIRED", "TOKEN_INVALID_OR_EXPIRED"]);

export interface TimeoutOptions {
  /** Calls that create trades: AssetPay sets up Steam offers inline, which is slow. */
  tradeMs?: number;
  /** Everything else. */
  defaultMs?: number;
  perOperation?: Partial<Record<OperationName, number>>;
}

export const DEFAULT_TIMEOUTS = { tradeMs: 100_000, defaultMs: 15_000 } as const;

export interface AssetPayClientOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** With it, client tokens are minted locally; without it, fetched from /auth/authenticate-client. */
  merchantId?: string;
  logger?: LoggerLike;
  timeouts?: TimeoutOptions;
  retry?: Partial<RetryPolicy>;
  /** Where member tokens are cached (a Keyv instance fits); default: in process memory. */
  tokenCache?: TokenStore;
  dispatcher?: Dispatcher;
  onResponse?: (info: ResponseInfo) => void;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Waits out retry backoffs and short Retry-After pauses (tests inject one that does not wait). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Per-call options every method (but authenticateClient) accepts last. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** A request named by its operation. */
export type NamedRequest<S extends z.ZodType> = Request<S> & { operation: OperationName };

function signalOf(callOpts: CallOptions | undefined): { signal?: AbortSignal } {
  return callOpts?.signal === undefined ? {} : { signal: callOpts.signal };
}

export function createAuthedCalls(opts: AssetPayClientOptions) {
  const now = opts.now ?? Date.now;
  const log = opts.logger;
  const transport = createTransport({
    baseUrl: opts.baseUrl,
    apiKey: opts.apiKey,
    secrets: [opts.apiSecret],
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    now,
    ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
    ...(opts.dispatcher === undefined ? {} : { dispatcher: opts.dispatcher }),
    ...(log === undefined ? {} : { logger: log }),
    ...(opts.onResponse === undefined ? {} : { onResponse: opts.onResponse }),
  });

  function timeoutFor(operation: OperationName): number {
    const t = opts.timeouts ?? {};
    const perOp = t.perOperation?.[operation];
    if (perOp !== undefined) return perOp;
    const endpoint = (ENDPOINTS as Record<string, { creates?: string }>)[operation];
    return endpoint?.creates !== undefined
      ? (t.tradeMs ?? DEFAULT_TIMEOUTS.tradeMs)
      : (t.defaultMs ?? DEFAULT_TIMEOUTS.defaultMs);
  }

  function spec<S extends z.ZodType>(s: NamedRequest<S>, callOpts?: CallOptions): Omit<Call<S>, "auth"> {
    return {
      ...s,
      timeoutMs: timeoutFor(s.operation),
      idempotent: s.method === "GET" || IDEMPOTENT_POSTS.has(s.operation),
      ...signalOf(callOpts),
    };
  }

  function asMerchant<S extends z.ZodType>(s: NamedRequest<S>, callOpts?: CallOptions): Promise<z.output<S>> {
    return transport.send({ ...spec(s, callOpts), auth: { kind: "api-key" } });
  }

  const tokens = createTokenCache({
    apiSecret: opts.apiSecret,
    ...(opts.merchantId === undefined ? {} : { merchantId: opts.merchantId }),
    ...(opts.tokenCache === undefined ? {} : { store: opts.tokenCache }),
    now,
    authenticate: async (identity, clientData) => {
      const data = await asMerchant({
        operation: "authenticateClient",
        method: "POST",
        path: "/auth/authenticate-client",
        body: compact({
          clientSteamId: identity.steamId,
          clientTradeUrl: identity.tradeUrl,
          clientId: identity.memberId,
          clientData,
        }),
        schema: TokenData,
      });
      return data.token;
    },
  });

  async function asMember<S extends z.ZodType>(
    identity: ClientIdentity,
    s: NamedRequest<S>,
    callOpts?: CallOptions,
  ): Promise<z.output<S>> {
    const call = { ...spec(s, callOpts), requestId: randomUUID() };
    const token = await tokens.get(identity);
    try {
      return await transport.send({ ...call, auth: { kind: "bearer", token } });
    } catch (err) {
      if (!(err instanceof AssetPayError) || err.status !== 401 || !TOKEN_REJECTED.has(err.key)) throw err;
      log?.info(
        { operation: s.operation, requestId: call.requestId, key: err.key },
        "client token refused; re-minting",
      );
      await tokens.invalidate(identity);
      const fresh = await tokens.get(identity, { fresh: true });
      return transport.send({ ...call, auth: { kind: "bearer", token: fresh } });
    }
  }

  return { asMerchant, asMember, tokens, close: () => transport.close() };
}
