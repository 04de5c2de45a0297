// The baseline for bench/startup.ts: the least a bot like ours must load (discord.js and grammY)
// plus an HTTP listener answering 200, in plain JavaScript with no build step.
import { createServer } from "node:http";
import { Client, GatewayIntentBits } from "discord.js";
import { Bot } from "grammy";

const client = new Client({ intents: [GatewayIntentBits.Guilds] });
const bot = new Bot("1:bench");
createServer((_req, res) => res.end(client && bot ? "ok" : "")).listen(
  Number(process.env.HTTP_PORT),
  "127.0.0.1",
);
