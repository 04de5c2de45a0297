/**
 * A command is plain data plus a handler over the core: both platforms register from the same
 * definitions (names, options, localized descriptions) and call the same handlers, which return
 * platform-neutral views. The adapters only translate events in and views out.
 */
import type { CommandServices } from "../src/core/command-services.ts";
import type { MemberId } from "../src/core/ledger.ts";
import type { MemberRef, Platform } from "../src/core/members.ts";
import type { I18n, Locale, MessageKey } from "../src/ui/i18n.ts";
import type { View } from "../src/ui/view.ts";

export type OptionType = "string" | "integer" | "user";

export interface CommandOption {
  name: string;
  type: OptionType;
  descriptionKey: MessageKey;
  required?: boolean;
  /** Fixed choices (value shown through its own message key). */
  choices?: { value: string; nameKey?: MessageKey; name?: string }[];
  /** Suggestions while typing (Discord autocomplete). */
  autocomplete?: boolean;
  maxLength?: number;
}

export interface Subcommand {
  name: string;
  descriptionKey: MessageKey;
  options: CommandOption[];
}

export type Args = Record<string, string | number | undefined>;

/** What a handler answers: a view, or a question for the member (Discord modal, Telegram next message). */
export type Reply =
  | { kind: "view"; view: View }
  | { kind: "ask"; field: string; prompt: View; command: string; args?: Args };

export interface Caps {
  platform: Platform;
  /** Items per picker page (Discord 25 in a select menu, Telegram ~8 toggles). */
  pickerPageSize: number;
}

/**
 * What a handler reaches: the core's command services, and the words to answer in (the ui's
 * catalogues, which the core never sees). The app's `Core` is one.
 */
export type CommandCore = CommandServices & { i18n: I18n };

export interface CommandContext {
  core: CommandCore;
  member: MemberRef;
  memberId: MemberId;
  locale: Locale;
  isAdmin: boolean;
  /** Unique per interaction: makes admin adjustments idempotent. */
  requestId: string;
  caps: Caps;
}

/**
 * The option a command asks for when the member leaves it out, and in which words: a Discord
 * modal, Telegram's "send it as your next message". The handler's `ask` reply names the same option.
 */
export interface Question {
  option: string;
  titleKey: MessageKey;
  labelKey: MessageKey;
  /** Not localized: a URL shape reads the same in every language. */
  placeholder?: string;
}

export interface CommandDefinition {
  name: string;
  descriptionKey: MessageKey;
  options: CommandOption[];
  subcommands?: Subcommand[];
  /** Hidden from members and checked again at run time. */
  adminOnly?: boolean;
  /**
   * Shows or moves something of the member's own (a balance, a trade link, a picker): on
   * Telegram it runs only in the private chat, and a group gets a button to it instead.
   */
  privateOnly?: boolean;
  /** Asked before running when missing (a platform that can ask up front, Discord's modal, does). */
  ask?: Question;
  /** Discord only registers these; Telegram adds /start and /language of its own idiom. */
  platforms?: Platform[];
  run(ctx: CommandContext, args: Args, subcommand?: string): Promise<Reply>;
  /**
   * Refusals that hold whatever the member types (a lock, a pause), checked before the platform
   * asks them anything (Discord's modal): throws the refusal.
   */
  precheck?(ctx: CommandContext): Promise<void>;
  /** `filled`: the other options the member already filled in (Discord sends them along). */
  autocomplete?(
    ctx: CommandContext,
    option: string,
    value: string,
    filled?: Args,
  ): Promise<{ name: string; value: string }[]>;
}

export function view(v: View): Reply {
  return { kind: "view", view: v };
}
