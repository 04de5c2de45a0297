/**
 * A local fake of Discord's REST API and gateway for end-to-end tests with the real discord.js client:
 *
 *   const fake = await startFakeDiscord({ guilds, closedDms: new Set([userId]) });
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
 *   await client.login(fake.token);
 *   await fake.waitFor((f) => f.commands().length > 0); // commands must be registered before dispatching them
 *   const handle = fake.dispatchInteraction({ type: "command", name: "deposit", userId, options: { game: "730" } });
 *   await handle.acknowledged; // … then assert on handle.original(), fake.dmsTo(userId), fake.violations
 *   await client.destroy(); await fake.close();
 */
export { buttonLabels, findComponent, interactiveComponents } from "./components.ts";
export { bucketRouteOf } from "./rate-limits.ts";
export {
  DEFAULT_APPLICATION_ID,
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_GUILDS,
  DEFAULT_TOKEN,
  type FakeDiscord,
  startFakeDiscord,
} from "./server.ts";
export type * from "./types.ts";
