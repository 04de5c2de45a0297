import { GAME_IDS } from "../src/base/games.ts";
import { pickerReply } from "./picker-reply.ts";
import { type CommandDefinition, type CommandOption, view } from "./types.ts";

export const gameOption = (descriptionKey: CommandOption["descriptionKey"]): CommandOption => ({
  name: "game",
  type: "string",
  descriptionKey,
  choices: [
    { value: "cs2", nameKey: "common.game.cs2" },
    { value: "rust", nameKey: "common.game.rust" },
  ],
});

export function gameIdOf(value: unknown) {
  return value === "rust" || value === GAME_IDS.rust ? GAME_IDS.rust : GAME_IDS.cs2;
}

export const deposit: CommandDefinition = {
  name: "deposit",
  descriptionKey: "commands.deposit.description",
  options: [gameOption("commands.deposit.options.game")],
  privateOnly: true,
  async run(ctx, args) {
    const session = await ctx.core.trading.openDeposit(ctx.memberId, {
      game: gameIdOf(args.game),
      pageSize: ctx.caps.pickerPageSize,
    });
    return view(await pickerReply(ctx, session));
  },
};
