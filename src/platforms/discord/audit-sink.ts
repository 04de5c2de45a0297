/**
 * The moderators' audit channel on Discord: batches posted as plain messages to the configured
 * channel, with mentions switched off (a line names members, it never pings them).
 */
import { type REST, Routes } from "discord.js";
import type { AuditSink } from "../../core/audit-events.ts";
import { escapeText } from "./render.ts";

/** Discord's message content limit. */
const CONTENT_MAX = 2_000;

export function createDiscordAuditSink(rest: REST, channelId: string): AuditSink {
  return {
    platform: "discord",
    // Escaping may lengthen a line; leave it room.
    maxChars: CONTENT_MAX - 200,
    async post(text) {
      await rest.post(Routes.channelMessages(channelId), {
        body: { content: escapeText(text).slice(0, CONTENT_MAX), allowed_mentions: { parse: [] } },
      });
    },
  };
}
