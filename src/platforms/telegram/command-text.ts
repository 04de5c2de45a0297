/**
 * Telegram commands carry their options as plain text after the name (`/deposit rust`,
 * `/withdraw ak redline`, `/admin adjust 123 12.50 goodwill`), so the options declared by the
 * platform-neutral command definitions are read back from words: options with fixed choices from
 * the leading or trailing words that match one (the usage line lists them where the definition
 * does, often last: `/admin giveaway <member> <item> cs2|rust`), the others in order, the last
 * free-text option taking the rest.
 */
import type { Args, CommandDefinition, CommandOption } from "../../../commands/types.ts";

export interface ParsedCommand {
  args: Args;
  /** For commands with subcommands: the one named by the first word, if it names one. */
  subcommand?: string;
}

function choiceValue(option: CommandOption, word: string): string | undefined {
  const wanted = word.toLowerCase();
  return option.choices?.find((c) => c.value.toLowerCase() === wanted)?.value;
}

export function parseCommandText(def: CommandDefinition, text: string): ParsedCommand {
  let words = text.trim().split(/\s+/).filter(Boolean);
  const parsed: ParsedCommand = { args: {} };
  let options = def.options;
  if (def.subcommands) {
    const sub = def.subcommands.find((s) => s.name === words[0]?.toLowerCase());
    if (!sub) return parsed;
    parsed.subcommand = sub.name;
    options = sub.options;
    words = words.slice(1);
  }

  const withChoices = options.filter((o) => o.choices);
  /** Fills the first unfilled choice option `word` names; false when it names none. */
  const takeChoice = (word: string | undefined): boolean => {
    if (word === undefined) return false;
    const option = withChoices.find((o) => parsed.args[o.name] === undefined && choiceValue(o, word));
    if (!option) return false;
    parsed.args[option.name] = choiceValue(option, word);
    return true;
  };
  while (takeChoice(words[0])) words = words.slice(1);
  while (takeChoice(words.at(-1))) words = words.slice(0, -1);

  const free = options.filter((o) => !o.choices);
  free.forEach((option, i) => {
    if (words.length === 0) return;
    const last = i === free.length - 1 && option.type === "string";
    const value = last ? words.join(" ") : (words[0] as string);
    words = last ? [] : words.slice(1);
    if (option.type === "integer") {
      if (/^[+-]?\d+$/.test(value)) parsed.args[option.name] = Number(value);
    } else if (option.type === "user") {
      // Telegram has no member picker: a numeric user id, written with or without `@`.
      parsed.args[option.name] = value.replace(/^@/, "");
    } else {
      parsed.args[option.name] = value;
    }
  });
  return parsed;
}

/** How an option is written in a usage line: `<member>`, `deposits|withdrawals`. */
export function usageOf(option: CommandOption): string {
  if (option.choices) return option.choices.map((c) => c.value).join("|");
  return option.required ? `<${option.name}>` : `[${option.name}]`;
}
