/**
 * Everything one sandbox instance holds, passed to the route handlers and the lifecycle. Built
 * by createContext (context-setup.ts); nothing here is module-level, so tests run several
 * sandboxes side by side.
 */
import type { ClientData } from "../assetpay/token.ts";
import type { Cents } from "../base/money.ts";
import type { CallbackSender } from "./callbacks.ts";
import type { Catalog } from "./catalog.ts";
import type { VirtualClock } from "./clock.ts";
import type { Faults } from "./faults.ts";
import type { Inventories } from "./inventory.ts";
import type { SandboxLogger } from "./logger.ts";
import type { Market } from "./market.ts";
import type { Rng } from "./prng.ts";
import type { Sleep } from "./sleep.ts";
import type { TradeStore } from "./trades.ts";

export interface SandboxConfig {
  apiKey: string;
  apiSecret: string;
  previousSecret?: string;
  merchantId: string;
  seed: string;
  startMs: number;
  isInstantDefault: boolean;
  /** Real milliseconds an offer takes to create (the window in which DEPOSIT_IN_PROGRESS fires). */
  createLatencyMs: number;
  initialBalanceCents: Cents;
}

export interface ClientProfile {
  steamId: string;
  tradeUrl: string;
  clientId?: string;
  clientData?: ClientData;
}

export interface RequestLogEntry {
  at: string;
  virtualAt: string;
  requestId: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Who called: `api-key`, `client:<steamId>` or `none`. Credentials themselves are never kept. */
  caller: string;
  body?: unknown;
  status: number;
  errorKey?: string;
  durationMs: number;
}

export interface SandboxContext {
  config: SandboxConfig;
  logger: SandboxLogger;
  sleep: Sleep;
  clock: VirtualClock;
  rng: Rng;
  catalog: Catalog;
  inventories: Inventories;
  market: Market;
  trades: TradeStore;
  sender: CallbackSender;
  faults: Faults;
  wallet: { balanceCents: Cents };
  clients: Map<string, ClientProfile>;
  collateral: Map<string, { providerCents?: Cents; merchantCents?: Cents }>;
  /** Virtual creation times of each client's recent deposits (rolling 5-minute guard). */
  depositTimes: Map<string, number[]>;
  /** `deposit:<steamId>` / `withdraw:<steamId>` while a trade is being created. */
  locks: Set<string>;
  requestLog: RequestLogEntry[];
}
