/**
 * The programmatic surface of one sandbox instance: what tests and the demo call, and what the
 * `/_sandbox/` control routes are thin shells over.
 */
import type { RequestListener } from "node:http";
import type { DeliveryRecord } from "./callbacks/records.ts";
import type { RequestLogEntry } from "./context.ts";
import type { FaultSpec, FaultSpecInput, FaultStats } from "./faults.ts";
import type { ForceInput } from "./lifecycle/steps.ts";
import type { PriceMove } from "./prices.ts";
import type { AdvanceResult } from "./time-control.ts";
import type { TradeJson } from "./wire.ts";

export type { AdvanceResult, ForceInput, PriceMove };

export interface FaultControls {
  /** Replaces the fault configuration; a bare number means "the next N deliveries". */
  set(spec: FaultSpecInput): void;
  clear(): void;
  config(): FaultSpec;
  stats(): FaultStats;
}

export interface SandboxState {
  now: string;
  merchant: { id: string; balance: number; callbackUrl: string | null };
  trades: TradeJson[];
  scheduled: { at: string; label: string; tradeId?: string }[];
  faults: { config: FaultSpec; stats: FaultStats };
  heldDeliveries: string[];
}

/** A sandbox instance without a listening socket (mount `handle` anywhere). */
export interface SandboxCore {
  readonly merchantId: string;
  readonly apiKey: string;
  readonly clock: { now(): Date; advance(seconds: number): Promise<AdvanceResult> };
  readonly callbackUrl: string | undefined;
  /** Sends the unsigned test ping; saves the URL when it answered 2xx within 8 s (or with force). */
  setCallbackUrl(url: string | null, opts?: { force?: boolean }): Promise<boolean>;
  readonly trades: { get(ref: string): TradeJson | undefined; list(): TradeJson[] };
  /** Every callback delivery so far, with its attempts. */
  readonly deliveries: DeliveryRecord[];
  /** Every API request so far (no credentials). */
  readonly requestLog: RequestLogEntry[];
  readonly faults: FaultControls;
  /** Forces a transition (trade, or one withdraw item) and sends its callback. */
  transition(ref: string, input: ForceInput): TradeJson;
  setPrice(move: PriceMove): number;
  setCollateral(steamId: string, usd: { provider?: number; merchant?: number }): void;
  /** The merchant wallet in USD. */
  readonly balance: number;
  setBalance(usd: number): void;
  state(): SandboxState;
  /** Resolves when no callback is in flight and no scheduled step is running. */
  idle(): Promise<void>;
  /** Sends deliveries a reorder fault still holds back. */
  releaseHeld(): Promise<void>;
  /** Back to the initial state: no trades, fresh inventories and market, clock at its start. */
  reset(): Promise<void>;
  handle: RequestListener;
  /** Stops timers and pending deliveries (does not close a server: see Sandbox.close). */
  shutdown(): Promise<void>;
}
