/**
 * `npm run demo`: the whole bot on one machine with no credentials and no network. The AssetPay
 * sandbox runs with a compressed clock (Steam's 7-day hold passes in about half a minute), the
 * store is in memory, and the chat is this terminal: the same commands and views as Discord and
 * Telegram, with numbered buttons, and DMs printed as they arrive.
 */

import { createServer } from "node:net";
import { pino } from "pino";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { parseTradeUrl } from "./core/steam.ts";
import { createConsoleChat } from "./platforms/console/chat.ts";
import { SANDBOX_DEFAULTS, startSandbox } from "./sandbox/server.ts";
import { openReturnPage, signInAtSandboxSteam } from "./sandbox/steam-login-client.ts";

/** Virtual seconds per real second: the 7-day hold takes ~30 s. */
const TIME_SCALE = Number(process.env.DEMO_TIME_SCALE ?? 20_000);

const logger = pino({ level: process.env.LOG_LEVEL ?? "error" }, pino.destination(2));
const sandbox = await startSandbox({
  port: 0,
  host: "127.0.0.1",
  apiKey: SANDBOX_DEFAULTS.apiKey,
  apiSecret: SANDBOX_DEFAULTS.apiSecret,
  merchantId: SANDBOX_DEFAULTS.merchantId,
  timeScale: TIME_SCALE,
  callbackRetry: { attempts: 6, baseDelayMs: 200 },
});
/** The demo's Steam account: the one its /link example names. */
const DEMO_TRADE_URL = "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEf12";
// Steam sends the browser back to PUBLIC_URL, so the listener needs a port known in advance.
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => resolve(free));
  });
});
const config = loadConfig({
  ASSETPAY_API_KEY: SANDBOX_DEFAULTS.apiKey,
  ASSETPAY_API_SECRET: SANDBOX_DEFAULTS.apiSecret,
  ASSETPAY_MERCHANT_ID: SANDBOX_DEFAULTS.merchantId,
  ASSETPAY_BASE_URL: sandbox.url,
  ASSETPAY_INSTANT_CREDIT: "false",
  HTTP_HOST: "127.0.0.1",
  SKINBRIDGE_EPHEMERAL: "true",
  LOG_LEVEL: "error",
  RECONCILE_INTERVAL_SECONDS: "10",
  HTTP_PORT: String(port),
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  STEAM_SIGNIN: "required",
  STEAM_OPENID_URL: `${sandbox.url}/steam/openid`,
});
const app = await createApp(config, { logger, outboxPollMs: 100 });
const chat = createConsoleChat({
  app,
  input: process.stdin,
  output: process.stdout,
  userId: "you",
  isAdmin: true,
  // The sign-in button's keypress signs in at the sandbox's Steam page as the demo account.
  async openLink(link) {
    if (!link.includes("/steam/signin")) return undefined;
    const steamId = parseTradeUrl(DEMO_TRADE_URL)?.steamId ?? "";
    const page = await openReturnPage(await signInAtSandboxSteam(link, steamId));
    return `↗ ${link}\n  Steam (sandbox) login as ${steamId}: ${page.outcome}`;
  },
});
app.addNotifier(chat.notifier);
const { url } = await app.start();
await sandbox.setCallbackUrl(`${url}${config.http.callbackPath}`);
// The console member is the demo's moderator: vouch for them and hand out a sign-in link, as
// `/admin dashboard` would in a chat.
const moderator = "console:you";
await app.core.dashboard.moderators.vouch(moderator);
const signIn = app.core.dashboard.signInUrl((await app.core.dashboard.links.mint(moderator)).token);

process.stdout.write(
  [
    "",
    "  skinbridge demo — a chat bot for CS2 and Rust skin deposits and withdrawals",
    "  Everything runs here: an AssetPay sandbox (Steam's 7-day hold passes in ~30 s), an in-memory",
    "  ledger, and this terminal as the chat. Type a command, press a button by typing its number.",
    "",
    `  1. /link ${DEMO_TRADE_URL}`,
    "     then press Sign in through Steam (the sandbox's Steam login), then I've signed in",
    "  2. /deposit            pick skins (type their numbers), then Confirm; watch the DMs arrive",
    "  3. /balance            once the deposit completes",
    "  4. /withdraw ak-47     pick a listing and Confirm; it is paid from your balance",
    "  /help lists everything; /admin adjust you 25 test-money gives you balance; quit to leave.",
    "",
    `  Web dashboard (open once, within ${config.dashboard.linkMinutes} minutes; /admin dashboard gives a new link):`,
    `  ${signIn}`,
    "",
    "  Going live: set ASSETPAY_API_KEY, ASSETPAY_API_SECRET, ASSETPAY_MERCHANT_ID, REDIS_URL and",
    "  DISCORD_TOKEN and/or TELEGRAM_BOT_TOKEN (see .env.example and README.md), then npm start.",
    "",
  ].join("\n"),
);

await chat.run();
await app.stop();
await sandbox.close();
process.exit(0);
