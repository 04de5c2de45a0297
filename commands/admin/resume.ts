/** /admin resume: restart new deposits or withdrawals after a pause. */
import { setPaused, whatOption } from "./pause.ts";
import type { AdminSubcommand } from "./subcommand.ts";

export const resume: AdminSubcommand = {
  definition: { name: "resume", descriptionKey: "commands.admin.subcommands.resume", options: [whatOption] },
  run: (ctx, args) => setPaused(ctx, args, "resume"),
};
