/**
 * What a command with subcommands can do, one line each: the answer to a bare `/admin` or a
 * subcommand that isn't one, instead of a refusal that explains nothing.
 */
import type { I18n, Locale, MessageKey } from "../i18n.ts";
import { text, type View } from "../view.ts";

/** The parts of a command definition a usage line needs (the definitions live above the UI). */
export interface UsageOption {
  name: string;
  required?: boolean;
  choices?: { value: string }[];
}
export interface UsageCommand<O extends UsageOption = UsageOption> {
  name: string;
  subcommands?: { name: string; descriptionKey: MessageKey; options: O[] }[];
}

/** `<member>`, `deposits|withdrawals`: how an option is written after the command. */
export function optionUsage(o: UsageOption): string {
  return o.choices && o.choices.length > 0 ? o.choices.map((c) => c.value).join("|") : `<${o.name}>`;
}

export function commandUsageView<O extends UsageOption>(
  i18n: I18n,
  locale: Locale,
  def: UsageCommand<O>,
  usage: (o: O) => string = optionUsage,
  heading: "admin.usage" | "telegram.adminUsage" = "admin.usage",
): View {
  const lines = (def.subcommands ?? []).map((sub) =>
    text(
      i18n.t(locale, "telegram.adminLine", {
        usage: [`/${def.name}`, sub.name, ...sub.options.map(usage)].join(" "),
        description: i18n.t(locale, sub.descriptionKey),
      }),
    ),
  );
  return { tone: "info", blocks: [text(i18n.t(locale, heading)), ...lines], buttons: [], ephemeral: true };
}
