/** Building one sandbox's state (SandboxContext) from its options, and putting it back to the start. */
import { createCallbackSender } from "./callbacks.ts";
import { createCatalog } from "./catalog.ts";
import { createVirtualClock } from "./clock.ts";
import type { SandboxConfig, SandboxContext } from "./context.ts";
import { createFaults, type Faults } from "./faults.ts";
import { createInventories } from "./inventory.ts";
import { type SandboxLogger, silentLogger } from "./logger.ts";
import { createMarket } from "./market.ts";
import { configFrom, SANDBOX_DEFAULTS, type SandboxOptions } from "./options.ts";
import { createRng } from "./prng.ts";
import { realSleep, type Sleep } from "./sleep.ts";
import { createTradeStore } from "./trades.ts";

function senderFor(
  opts: SandboxOptions,
  config: SandboxConfig,
  faults: Faults,
  logger: SandboxLogger,
  sleep: Sleep,
) {
  return createCallbackSender({
    secret: config.apiSecret,
    ...(config.previousSecret !== undefined ? { previousSecret: config.previousSecret } : {}),
    retry: opts.callbackRetry ?? SANDBOX_DEFAULTS.callbackRetry,
    approvalTimeoutMs: opts.approvalTimeoutMs ?? SANDBOX_DEFAULTS.approvalTimeoutMs,
    deliveryTimeoutMs: opts.deliveryTimeoutMs ?? SANDBOX_DEFAULTS.deliveryTimeoutMs,
    pingTimeoutMs: SANDBOX_DEFAULTS.pingTimeoutMs,
    faults,
    logger,
    sleep,
    ...(opts.callbackUrl !== undefined ? { url: opts.callbackUrl } : {}),
  });
}

export function createContext(opts: SandboxOptions): SandboxContext {
  const config = configFrom(opts);
  const logger = opts.logger ?? silentLogger;
  const sleep = opts.sleep ?? realSleep;
  const faults = createFaults();
  const catalog = createCatalog();
  return {
    config,
    logger,
    sleep,
    clock: createVirtualClock(config.startMs, logger),
    rng: createRng(`ids:${config.seed}`),
    catalog,
    inventories: createInventories(catalog),
    market: createMarket(catalog, config.seed),
    trades: createTradeStore(),
    sender: senderFor(opts, config, faults, logger, sleep),
    faults,
    wallet: { balanceCents: config.initialBalanceCents },
    clients: new Map(),
    collateral: new Map(),
    depositTimes: new Map(),
    locks: new Set(),
    requestLog: [],
  };
}

/** Forgets trades, clients and requests; fresh inventories, market and ids (once nothing runs). */
export function resetState(ctx: SandboxContext): void {
  const { config } = ctx;
  ctx.trades.reset();
  ctx.inventories.reset();
  ctx.market.reset(config.seed);
  ctx.rng = createRng(`ids:${config.seed}`);
  ctx.wallet.balanceCents = config.initialBalanceCents;
  ctx.clients.clear();
  ctx.collateral.clear();
  ctx.depositTimes.clear();
  ctx.locks.clear();
  ctx.requestLog.length = 0;
}
