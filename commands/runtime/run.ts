/** Typed commands: run one, check its refusals before a platform asks anything, autocomplete an option. */
import { CoreError } from "../../src/core/errors.ts";
import type { View } from "../../src/ui/view.ts";
import { COMMANDS } from "../index.ts";
import type { Args, CommandCore, Reply } from "../types.ts";
import { contextFor, type Invocation } from "./context.ts";
import { failureView } from "./failures.ts";
import { withReachabilityNotice } from "./reachability.ts";

export async function runCommand(
  core: CommandCore,
  inv: Invocation,
  name: string,
  args: Args,
  subcommand?: string,
): Promise<Reply> {
  const ctx = await contextFor(core, inv);
  const def = COMMANDS.find((c) => c.name === name);
  try {
    if (!def) throw new CoreError("internal");
    if (def.adminOnly && !ctx.isAdmin) throw new CoreError("notAdmin");
    const reply = await def.run(ctx, args, subcommand);
    if (reply.kind === "view") return { kind: "view", view: await withReachabilityNotice(ctx, reply.view) };
    return reply;
  } catch (err) {
    return { kind: "view", view: failureView(ctx, err) };
  }
}

/** The refusal a command would give whatever the member answers, before asking them; else undefined. */
export async function precheckCommand(
  core: CommandCore,
  inv: Invocation,
  name: string,
): Promise<View | undefined> {
  const def = COMMANDS.find((c) => c.name === name);
  if (!def?.precheck) return undefined;
  const ctx = await contextFor(core, inv);
  try {
    await def.precheck(ctx);
    return undefined;
  } catch (err) {
    return failureView(ctx, err);
  }
}

export async function autocomplete(
  core: CommandCore,
  inv: Invocation,
  name: string,
  option: string,
  value: string,
  filled: Args = {},
): Promise<{ name: string; value: string }[]> {
  const ctx = await contextFor(core, inv);
  const def = COMMANDS.find((c) => c.name === name);
  if (!def?.autocomplete) return [];
  try {
    return (await def.autocomplete(ctx, option, value, filled)).slice(0, 25);
  } catch (err) {
    core.logger.debug({ err }, "autocomplete failed");
    return [];
  }
}
