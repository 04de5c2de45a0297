/**
 * A chat in the terminal, for the demo: type `/deposit`, press buttons by their number, read
 * DMs as they arrive. The same commands and views as Discord and Telegram, nothing re-implemented.
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { COMMANDS } from "../../../commands/index.ts";
import { handleAction, type Invocation, runCommand } from "../../../commands/runtime.ts";
import type { Args, CommandDefinition, Reply } from "../../../commands/types.ts";
import type { App } from "../../app.ts";
import type { Notifier } from "../../core/outbox-worker.ts";
import type { Locale } from "../../ui/i18n.ts";
import type { View } from "../../ui/view.ts";
import { noticeView } from "../../ui/views/notice-view.ts";
import { type Control, renderConsole } from "./render.ts";

export interface ConsoleChat {
  notifier: Notifier;
  /** Runs until the input ends or the member types `quit`. */
  run(): Promise<void>;
  /** Handles one line as if typed (tests and scripted demos). */
  say(line: string): Promise<void>;
}

/**
 * Maps `/cmd a b c` onto the command's options: a word that is one of an option's fixed choices
 * fills that option (`/deposit rust`, `/withdraw ak redline cs2`); the other words fill the free
 * options in order, the last of them taking the rest (`/admin adjust you 25 a long reason`).
 */
export function parseArgs(def: CommandDefinition, input: string[]): { args: Args; sub?: string } {
  const words = [...input];
  let options = def.options;
  let sub: string | undefined;
  if (def.subcommands) {
    sub = words.shift();
    options = def.subcommands.find((s) => s.name === sub)?.options ?? [];
  }
  const args: Args = {};
  for (const opt of options.filter((o) => o.choices)) {
    const at = words.findIndex((w) => opt.choices?.some((c) => c.value === w.toLowerCase()));
    if (at >= 0) args[opt.name] = (words.splice(at, 1)[0] as string).toLowerCase();
  }
  const free = options.filter((o) => !o.choices);
  free.forEach((opt, i) => {
    if (i >= words.length) return;
    args[opt.name] = i === free.length - 1 ? words.slice(i).join(" ") : words[i];
  });
  return sub === undefined ? { args } : { args, sub };
}

/** The numbers in `3 5`, `3-7` or `1, 4-6` (ascending ranges, at most 100 in all); undefined for anything else. */
export function parseNumberList(line: string): number[] | undefined {
  const words = line
    .trim()
    .replace(/\s*-\s*/g, "-")
    .split(/[\s,]+/);
  if (words.length < 2 && !words[0]?.includes("-")) return undefined;
  const out: number[] = [];
  for (const word of words) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(word);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (to < from || out.length + (to - from) >= 100) return undefined;
    for (let n = from; n <= to; n++) if (!out.includes(n)) out.push(n);
  }
  return out;
}

export function createConsoleChat(opts: {
  app: App;
  input: Readable;
  output: Writable;
  userId?: string;
  locale?: Locale;
  isAdmin?: boolean;
  /**
   * Opens a link button instead of printing its URL, answering what to print (the demo signs in
   * at the sandbox's Steam page this way); undefined: just print the URL.
   */
  openLink?: (url: string) => Promise<string | undefined>;
}): ConsoleChat {
  const { app, output } = opts;
  const core = app.core;
  const userId = opts.userId ?? "you";
  const locale = opts.locale ?? core.config.i18n.defaultLocale;
  const invocation = (): Invocation => ({
    member: { platform: "console", userId, locale, displayName: userId },
    isAdmin: opts.isAdmin ?? true,
    caps: { platform: "console", pickerPageSize: 8 },
  });
  let controls: Control[] = [];
  let asking: { command: string; field: string; args?: Args } | undefined;

  const print = (text: string): void => {
    output.write(`${text}\n`);
  };
  const show = (view: View) => {
    const r = renderConsole(view);
    controls = r.controls;
    print(`\n${r.text}\n`);
  };
  const answer = (reply: Reply) => {
    if (reply.kind === "view") {
      asking = undefined;
      show(reply.view);
      return;
    }
    asking = { command: reply.command, field: reply.field, ...(reply.args ? { args: reply.args } : {}) };
    show(reply.prompt);
  };

  const say = async (raw: string) => {
    const line = raw.trim();
    if (line === "") return;
    if (/^\d+$/.test(line)) {
      const control = controls[Number(line) - 1];
      if (!control) return print(`No button ${line} here.`);
      if (control.kind === "link") return print((await opts.openLink?.(control.url)) ?? `↗ ${control.url}`);
      if (control.disabled) return print("That button isn't available right now.");
      return show(await handleAction(core, invocation(), control.ref));
    }
    const many = parseNumberList(line);
    if (many) return toggleMany(many);
    if (line.startsWith("/")) {
      const [name = "", ...words] = line.slice(1).split(/\s+/);
      const def = COMMANDS.find((c) => c.name === name.toLowerCase());
      if (!def) return print(`Unknown command /${name}. Try /help.`);
      const { args, sub } = parseArgs(def, words);
      return answer(await runCommand(core, invocation(), def.name, args, sub));
    }
    if (asking) {
      const { command, field, args } = asking;
      return answer(await runCommand(core, invocation(), command, { ...args, [field]: line }));
    }
    print("Type a /command (try /help), or the number of a button.");
  };

  /** `3 5`, `3-7`, `1,4-6`: toggles several of a picker's items at once, showing the result once. */
  const toggleMany = async (numbers: number[]) => {
    const picked = numbers.map((n) => ({ n, control: controls[n - 1] }));
    const notItems = picked.filter(({ control }) => control?.kind !== "action" || !control.toggle);
    if (notItems.length > 0)
      return print(
        `Only items can be picked together; ${notItems.map(({ n }) => n).join(", ")} isn't one here.`,
      );
    let view: View | undefined;
    for (const { control } of picked) {
      if (control?.kind === "action") view = await handleAction(core, invocation(), control.ref);
    }
    if (view) show(view);
  };

  const notifier: Notifier = {
    platform: "console",
    async deliver(recipient, notice, noticeLocale) {
      if (recipient.userId !== userId)
        return { ok: false, unreachable: true, reason: "not in this terminal" };
      const r = renderConsole(noticeView(core.i18n, noticeLocale as Locale, notice));
      print(`\n📩 DM from the bot\n${r.text}\n`);
      return { ok: true };
    },
  };

  return {
    notifier,
    say,
    run() {
      const rl = createInterface({ input: opts.input, terminal: false });
      return new Promise<void>((resolve) => {
        let queue = Promise.resolve();
        rl.on("line", (line) => {
          if (/^(quit|exit)$/i.test(line.trim())) {
            rl.close();
            return;
          }
          queue = queue.then(() => say(line)).catch((err) => print(`(error: ${String(err)})`));
        });
        rl.on("close", () => void queue.then(() => resolve()));
      });
    },
  };
}
