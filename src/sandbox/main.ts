/**
 * `npm run sandbox`: the AssetPay sandbox alone, for trying an integration by hand.
 * Environment: SANDBOX_PORT (4010), SANDBOX_HOST (127.0.0.1), SANDBOX_API_KEY, SANDBOX_API_SECRET,
 * SANDBOX_MERCHANT_ID, SANDBOX_CALLBACK_URL, SANDBOX_TIME_SCALE (virtual seconds per real second;
 * default 1, `0` or `manual` = advance only through POST /_sandbox/advance).
 */
import "dotenv/config";
import { pino } from "pino";
import { SANDBOX_DEFAULTS, type SandboxOptions, startSandbox } from "./server.ts";

function timeScale(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === "") return 1;
  if (raw === "manual" || raw === "0") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`SANDBOX_TIME_SCALE must be a positive number or "manual", not ${raw}`);
  return n;
}

async function main(): Promise<void> {
  const env = process.env;
  const logger = pino({ level: env.LOG_LEVEL ?? "info" });
  const port = Number(env.SANDBOX_PORT ?? SANDBOX_DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error("SANDBOX_PORT must be a port number");
  const scale = timeScale(env.SANDBOX_TIME_SCALE);
  const opts: SandboxOptions = {
    port,
    host: env.SANDBOX_HOST ?? "127.0.0.1",
    apiKey: env.SANDBOX_API_KEY ?? SANDBOX_DEFAULTS.apiKey,
    apiSecret: env.SANDBOX_API_SECRET ?? SANDBOX_DEFAULTS.apiSecret,
    merchantId: env.SANDBOX_MERCHANT_ID ?? SANDBOX_DEFAULTS.merchantId,
    logger,
  };
  if (scale !== undefined) opts.timeScale = scale;
  const sandbox = await startSandbox(opts);
  if (env.SANDBOX_CALLBACK_URL) {
    const ok = await sandbox.setCallbackUrl(env.SANDBOX_CALLBACK_URL, { force: true });
    if (!ok) logger.warn("the callback URL did not answer the test ping with 2xx; kept it anyway");
  }
  const apiKeyHint =
    opts.apiKey === SANDBOX_DEFAULTS.apiKey ? SANDBOX_DEFAULTS.apiKey : "(from SANDBOX_API_KEY)";
  process.stdout.write(
    [
      "",
      "  AssetPay sandbox",
      `  API          ${sandbox.url}`,
      `  api-key      ${apiKeyHint}`,
      `  merchant id  ${sandbox.merchantId}`,
      `  callback URL ${sandbox.callbackUrl ?? '(none: POST /_sandbox/callback-url {"url": ...})'}`,
      `  clock        ${scale === undefined ? "manual (POST /_sandbox/advance)" : `${scale}x real time`}`,
      `  control      ${sandbox.url}/_sandbox/state  (see src/sandbox/README.md)`,
      "",
    ].join("\n"),
  );
  const stop = async (): Promise<void> => {
    await sandbox.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
