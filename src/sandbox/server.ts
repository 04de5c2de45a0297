/**
 * The AssetPay sandbox: a stateful emulator of the AssetPay API on node:http. createSandbox
 * builds one instance (state, lifecycle, callback sender, control surface); startSandbox also
 * listens on a port. Everything later (integration tests, the demo) runs against it.
 */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { apiRoutes } from "./api/routes.ts";
import { createContext } from "./context-setup.ts";
import { controlRoutes } from "./control.ts";
import { createCore } from "./core.ts";
import { createLifecycle } from "./lifecycle.ts";
import { SANDBOX_DEFAULTS, type SandboxOptions } from "./options.ts";
import { createRequestListener } from "./request-listener.ts";
import type { SandboxCore } from "./sandbox-core.ts";
import { createSteamOpenIdProvider } from "./steam-openid.ts";
import { createTimeControl } from "./time-control.ts";

export type {
  AdvanceResult,
  FaultControls,
  ForceInput,
  PriceMove,
  SandboxCore,
  SandboxState,
} from "./sandbox-core.ts";
export { SANDBOX_DEFAULTS, type SandboxOptions };

export interface Sandbox extends SandboxCore {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export function createSandbox(opts: SandboxOptions = {}): SandboxCore {
  const ctx = createContext(opts);
  const lifecycle = createLifecycle(ctx);
  const time = createTimeControl(ctx, opts.timeScale);
  const api = apiRoutes({ ctx, lifecycle }, Date.now());
  // The control routes drive the core itself, so the listener is made once the core exists.
  let listener: RequestListener | undefined;
  const core = createCore({ ctx, lifecycle, time, handle: (req, res) => listener?.(req, res) });
  const control = controlRoutes(core);
  listener = createRequestListener({ ctx, api, control, steamOpenId: createSteamOpenIdProvider() });
  return core;
}

/** Creates a sandbox and listens on 127.0.0.1 (or `host`) at `port` (0 = any free port). */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const core = createSandbox(opts);
  const server = createServer(core.handle);
  // Long enough for undici to reuse connections (it skips servers hinting under 2 s).
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? SANDBOX_DEFAULTS.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host ?? "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return Object.assign(core, {
    url,
    port,
    close(): Promise<void> {
      closing ??= (async () => {
        await core.shutdown();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  });
}
