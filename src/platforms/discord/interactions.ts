/**
 * Every interaction, the same way: acknowledge first (a deferred ephemeral reply, a deferred
 * update of the member's own message, a modal, or autocomplete choices), then ask the shared
 * command runtime, then edit. Nothing reads the store or calls AssetPay before the
 * acknowledgement, so Discord's 3-second deadline only ever waits for one REST call.
 *
 * A press on someone else's message, or a refusal of a press on one's own (expired, already
 * confirmed), is answered with a new ephemeral message; the message pressed stays as it was.
 * A failing handler is logged and told to the member; it never reaches the client.
 */
import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { Logger } from "pino";
import { COMMANDS } from "../../../commands/index.ts";
import {
  answerAction,
  autocomplete,
  contextFor,
  precheckCommand,
  runCommand,
} from "../../../commands/runtime.ts";
import type { Args, Reply } from "../../../commands/types.ts";
import type { Core } from "../../app.ts";
import type { DiscordConfig } from "../../config.ts";
import { CoreError } from "../../core/errors.ts";
import { decodeAction } from "../../ui/action-id.ts";
import type { View } from "../../ui/view.ts";
import { errorView } from "../../ui/views/error-view.ts";
import { invocationOf } from "./members.ts";
import { askModal, missingQuestion, parseAskSubmit } from "./modals.ts";
import { clamp, renderView } from "./render.ts";

/** Autocomplete has no deferral: answer (with nothing, if need be) well inside Discord's 3 s. */
export const AUTOCOMPLETE_BUDGET_MS = 2_000;

export interface InteractionRouterDeps {
  core: Core;
  config: Pick<DiscordConfig, "adminRoleIds" | "adminUserIds">;
  logger: Logger;
}

export interface InteractionRouter {
  /** The `interactionCreate` listener: never throws, never rejects. */
  handle(interaction: Interaction): void;
  /** Stops taking interactions and waits for the ones being answered. */
  drain(): Promise<void>;
}

/** A command's options as the runtime takes them (a subcommand's own options when there is one). */
export function argsOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): Args {
  let options: readonly CommandInteractionOption[] = interaction.options.data;
  const sub = options.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  if (sub) options = sub.options ?? [];
  const args: Args = {};
  for (const o of options) {
    // A user option's value is the user id, which is what the runtime names members by.
    if (typeof o.value === "string" || typeof o.value === "number") args[o.name] = o.value;
    // …and the name Discord resolved for it, so moderators' views can say who it is.
    if (o.type === ApplicationCommandOptionType.User) {
      const shown =
        (o.member && "displayName" in o.member ? o.member.displayName : undefined) ??
        o.user?.globalName ??
        o.user?.username;
      if (shown) args[`${o.name}Name`] = shown;
    }
  }
  return args;
}

const shown = (reply: Reply): View => (reply.kind === "view" ? reply.view : reply.prompt);

/** How long the lock/pause check before a modal may take; Discord needs the modal within 3 s. */
const PRECHECK_MS = 1_000;

async function withDeadline<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createInteractionRouter(deps: InteractionRouterDeps): InteractionRouter {
  const { core, config } = deps;
  const inFlight = new Set<Promise<void>>();
  let accepting = true;

  const invocation = (i: Interaction) => invocationOf(i, core.i18n, config);

  /** For an id we can't read (another version's, or none of ours): the same answer as an expired picker. */
  const expired = async (inv: ReturnType<typeof invocation>): Promise<View> => {
    const ctx = await contextFor(core, inv);
    return errorView(core.i18n, ctx.locale, new CoreError("pickerExpired"));
  };

  async function onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const args = argsOf(i);
    const def = COMMANDS.find((c) => c.name === i.commandName);
    if (def && missingQuestion(def, args) !== undefined) {
      const modal = askModal(core.i18n, core.i18n.resolveLocale(i.locale), def, args);
      // A lock or pause is said at once, not after the member has typed into the modal. The
      // modal must be Discord's first answer, within 3 s: a slow store just skips the check
      // (the command refuses the same way once the modal is submitted).
      const refusal = modal
        ? await withDeadline(precheckCommand(core, invocation(i), def.name), PRECHECK_MS, undefined)
        : undefined;
      if (refusal) {
        await i.reply({ ...renderView(refusal), flags: MessageFlags.Ephemeral });
        return;
      }
      if (modal) {
        await i.showModal(modal);
        return;
      }
    }
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const subcommand = i.options.getSubcommand(false) ?? undefined;
    const reply = await runCommand(core, invocation(i), i.commandName, args, subcommand);
    await i.editReply(renderView(shown(reply)));
  }

  async function onModal(i: ModalSubmitInteraction): Promise<void> {
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const inv = invocation(i);
    const asked = parseAskSubmit(
      i.customId,
      (field) => {
        const data = i.fields.fields.get(field);
        return data && "value" in data && typeof data.value === "string" ? data.value : null;
      },
      COMMANDS,
    );
    const view = asked ? shown(await runCommand(core, inv, asked.command, asked.args)) : await expired(inv);
    await i.editReply(renderView(view));
  }

  async function onComponent(i: ButtonInteraction | StringSelectMenuInteraction): Promise<void> {
    // Discord shows an ephemeral message, and so its buttons, to one member only: the one it answered.
    const own =
      i.message.flags.has(MessageFlags.Ephemeral) || i.message.interactionMetadata?.user.id === i.user.id;
    if (own) await i.deferUpdate();
    else await i.deferReply({ flags: MessageFlags.Ephemeral });
    const inv = invocation(i);
    const ref = decodeAction(i.customId);
    const answer = ref
      ? await answerAction(core, inv, ref, i.isStringSelectMenu() ? i.values : undefined)
      : { view: await expired(inv), refused: true };
    const message = renderView(answer.view);
    // The receipt becomes the trade's live card while the token lives (see the notifier);
    // remembered before it is shown, so its 15 minutes are counted from no later than Discord's.
    if (answer.tradeId !== undefined) {
      await core.receipts.remember(answer.tradeId, {
        platform: "discord",
        applicationId: i.applicationId,
        token: i.token,
      });
    }
    if (own && answer.refused) await i.followUp({ ...message, flags: MessageFlags.Ephemeral });
    else await i.editReply(message);
  }

  async function onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    // The options already filled in travel with the keystroke (e.g. the giveaway's recipient).
    const filled: Record<string, string> = {};
    const sub = i.options.data.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
    for (const o of sub?.options ?? i.options.data) {
      if (!o.focused && o.value !== undefined) filled[o.name] = String(o.value);
    }
    const choices = await withDeadline(
      autocomplete(core, invocation(i), i.commandName, focused.name, String(focused.value), filled),
      AUTOCOMPLETE_BUDGET_MS,
      [],
    );
    // A value is sent back as typed; one Discord can't carry is left out rather than cut.
    const fitting = choices.filter((c) => c.value.length <= 100).slice(0, 25);
    await i.respond(fitting.map((c) => ({ name: clamp(c.name, 100), value: c.value })));
  }

  async function route(i: Interaction): Promise<void> {
    try {
      if (i.isChatInputCommand()) await onCommand(i);
      else if (i.isAutocomplete()) await onAutocomplete(i);
      else if (i.isButton() || i.isStringSelectMenu()) await onComponent(i);
      else if (i.isModalSubmit()) await onModal(i);
    } catch (err) {
      const log = deps.logger.child({ interactionId: i.id, userId: i.user.id });
      log.error({ err }, "interaction handler failed");
      // Once acknowledged, the member is still waiting for an answer: give them the generic one.
      if (i.isRepliable() && (i.deferred || i.replied)) {
        try {
          const view = errorView(core.i18n, core.i18n.resolveLocale(i.locale), err);
          await i.followUp({ ...renderView(view), flags: MessageFlags.Ephemeral });
        } catch (followUpErr) {
          log.warn({ err: followUpErr }, "could not tell the member about the failure");
        }
      }
    }
  }

  return {
    handle(interaction) {
      if (!accepting) return;
      const done: Promise<void> = route(interaction).finally(() => inFlight.delete(done));
      inFlight.add(done);
    },
    async drain() {
      accepting = false;
      await Promise.allSettled([...inFlight]);
    },
  };
}
