/**
 * Steam sign-in for tests: an app whose PUBLIC_URL is its own listener and whose Steam OpenID
 * provider is the sandbox's, and a minimal browser (plain HTTP, redirects followed by hand) that
 * opens a sign-in button, submits the sandbox's Steam login form for a chosen SteamID and comes
 * back to the bot, so a test can also tamper with or replay the answer on the way.
 */
import { createServer } from "node:net";
import type { AppOverrides } from "../../src/app.ts";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.ts";
import { openReturnPage, signInAtSandboxSteam } from "../../src/sandbox/steam-login-client.ts";
import {
  startTestApp,
  TEST_API_KEY,
  TEST_MERCHANT,
  TEST_SECRET,
  type TestApp,
  testConfig,
} from "./app-harness.ts";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function startSignInSandbox(): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    host: "127.0.0.1",
    apiKey: TEST_API_KEY,
    apiSecret: TEST_SECRET,
    merchantId: TEST_MERCHANT,
    callbackRetry: { attempts: 6, baseDelayMs: 25 },
    approvalTimeoutMs: 2_000,
    createLatencyMs: 0,
  });
}

/** The env that turns sign-in on against the sandbox, for an app listening on `port`. */
export function signInEnv(sandbox: Sandbox, port: number, policy = "required"): Record<string, string> {
  return {
    ASSETPAY_BASE_URL: sandbox.url,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    STEAM_SIGNIN: policy,
    STEAM_OPENID_URL: `${sandbox.url}/steam/openid`,
  };
}

export async function startSignInApp(
  sandbox: Sandbox,
  opts: { redisUrl?: string; overrides?: AppOverrides; policy?: string } = {},
): Promise<TestApp> {
  const port = await freePort();
  const config = testConfig(signInEnv(sandbox, port, opts.policy));
  config.http.port = port;
  const app = await startTestApp(config, {
    ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}),
    ...(opts.overrides ? { overrides: opts.overrides } : {}),
  });
  await sandbox.setCallbackUrl(app.callbackUrl);
  return app;
}

export type Page = Awaited<ReturnType<typeof openReturnPage>>;

export const openPage = openReturnPage;
export const signInAtSteam = signInAtSandboxSteam;

/** Changes one `openid.*` field of an answer from Steam (the signature no longer matches). */
export function tamper(returnUrl: string, field: string, value: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set(`openid.${field}`, value);
  return url.toString();
}
