/** /inbox: the notices that could not be delivered as a DM, read once. */
import { memberIdOf, parseMemberId } from "../src/core/members.ts";
import { inboxView } from "../src/ui/views/account-views.ts";
import { type CommandDefinition, view } from "./types.ts";

export const inbox: CommandDefinition = {
  name: "inbox",
  descriptionKey: "commands.inbox.description",
  options: [],
  privateOnly: true,
  async run(ctx) {
    // A wallet shared across platforms: its notices may have been routed to this chat identity.
    const recipients = [...new Set([ctx.memberId, memberIdOf(ctx.member)])]
      .map(parseMemberId)
      .filter((r) => r !== null);
    const inboxes = await Promise.all(recipients.map((r) => ctx.core.outbox.inbox(r, { limit: 20 })));
    const notices = inboxes.flat().slice(0, 20);
    const page = inboxView(ctx.core.i18n, ctx.locale, notices);
    // Read once: when every notice fit on the page it is cleared, so the next /inbox shows only
    // newer misses; otherwise they stay until the member has seen them all.
    if (notices.length > 0 && page.blocks.length === notices.length)
      await Promise.all(recipients.map((r) => ctx.core.outbox.clearInbox(r)));
    return view(page);
  },
};
