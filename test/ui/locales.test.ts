/**
 * Every catalogue against English: the same messages, each in the language's own plural forms,
 * with the same placeholders, commands and links, within the platforms' text limits; and every
 * English message is one the code can actually show.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import en from "../../locales/en.json" with { type: "json" };
import { CLIENT_ERROR_KEYS, ERROR_KEYS } from "../../src/assetpay/error-codes.ts";
import { CheckTradeUrlData, TRADE_ERRORS, TRADE_STATUSES } from "../../src/assetpay/schemas.ts";
import type { CoreErrorKey } from "../../src/core/errors.ts";
import { CATALOGUES } from "../../src/ui/catalogues.ts";
import { createI18n, type MessageKey } from "../../src/ui/i18n.ts";
import { type Locale, SUPPORTED_LOCALES } from "../../src/ui/locales.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const PLURAL = /_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;
const TRANSLATED = SUPPORTED_LOCALES.filter((l) => l !== "en");

/** Every message of a catalogue as [dotted key, text]; anything that is neither text nor a group is reported. */
function leaves(node: object, prefix = ""): [string, string][] {
  return Object.entries(node).flatMap(([k, v]): [string, string][] => {
    if (typeof v === "string") return [[`${prefix}${k}`, v]];
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return leaves(v, `${prefix}${k}.`);
    return [[`${prefix}${k}`, `<not a message: ${JSON.stringify(v)}>`]];
  });
}

interface Message {
  /** Plural suffix → text; a message without plural forms has the single form "". */
  forms: Map<string, string>;
}

/** A catalogue as messages: plural forms (`_one`, `_few`…) grouped under their base key. */
function messagesOf(catalogue: object): Map<string, Message> {
  const out = new Map<string, Message>();
  for (const [key, text] of leaves(catalogue)) {
    const suffix = PLURAL.exec(key)?.[1] ?? "";
    const base = key.replace(PLURAL, "");
    const message = out.get(base) ?? { forms: new Map() };
    message.forms.set(suffix, text);
    out.set(base, message);
  }
  return out;
}

const placeholders = (text: string) => new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string));
const sorted = (values: Iterable<string>) => [...values].sort();

/** The plural categories Intl picks for whole numbers in `locale`: what a `count` can ask i18next for. */
function integerPluralForms(locale: Locale): Set<string> {
  const rules = new Intl.PluralRules(locale);
  const counts = [...Array.from({ length: 1001 }, (_, n) => n), 1_000_000, 2_000_000];
  return new Set(counts.map((n) => rules.select(n)));
}

/** The forms a locale must give an English plural message: its own categories, `other`, and `zero` if English has one. */
function expectedForms(locale: Locale, english: Message): string[] {
  const forms = integerPluralForms(locale);
  forms.add("other");
  if (english.forms.has("zero")) forms.add("zero");
  return sorted(forms);
}

const enMessages = messagesOf(en);
const catalogue = (locale: Locale): object => CATALOGUES[locale];

describe("the catalogue files", () => {
  it("are exactly the supported locales, each registered", () => {
    const files = readdirSync(join(ROOT, "locales")).filter((f) => f.endsWith(".json"));
    expect(sorted(files)).toEqual(sorted(SUPPORTED_LOCALES.map((l) => `${l}.json`)));
    expect(sorted(Object.keys(CATALOGUES))).toEqual(sorted(SUPPORTED_LOCALES));
    for (const locale of SUPPORTED_LOCALES) {
      const onDisk = JSON.parse(readFileSync(join(ROOT, "locales", `${locale}.json`), "utf8")) as object;
      expect(catalogue(locale), locale).toEqual(onDisk);
    }
  });
});

describe.each(TRANSLATED)("the %s catalogue", (locale) => {
  const own = messagesOf(catalogue(locale));

  it("has every message English has, and no other", () => {
    expect(sorted([...enMessages.keys()].filter((k) => !own.has(k))), "missing").toEqual([]);
    expect(sorted([...own.keys()].filter((k) => !enMessages.has(k))), "not in English").toEqual([]);
  });

  it("gives each plural message exactly the forms the language needs, and no other message any", () => {
    const wrong: string[] = [];
    for (const [key, english] of enMessages) {
      const message = own.get(key);
      if (!message) continue;
      const want = english.forms.has("") ? [""] : expectedForms(locale, english);
      const have = sorted(message.forms.keys());
      if (have.join() !== want.join()) wrong.push(`${key}: has [${have}] wants [${want}]`);
    }
    expect(wrong).toEqual([]);
  });

  it("uses English's placeholders in every form (a zero form may leave out the count)", () => {
    const wrong: string[] = [];
    for (const [key, english] of enMessages) {
      const want = new Set([...english.forms.values()].flatMap((t) => [...placeholders(t)]));
      for (const [form, text] of own.get(key)?.forms ?? []) {
        const expected = form === "zero" ? [...want].filter((p) => p !== "count") : [...want];
        const have = placeholders(text);
        if (form === "zero" && have.has("count")) expected.push("count");
        if (sorted(have).join() !== sorted(expected).join())
          wrong.push(`${key}${form && `_${form}`}: {{${sorted(have)}}} wants {{${sorted(expected)}}}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("never leaves a message empty or half-written", () => {
    for (const [key, text] of leaves(catalogue(locale))) {
      expect(text.trim(), key).not.toBe("");
      expect(text, key).not.toMatch(/<not a message/);
      // A broken brace shows to the member verbatim: `{{amount}` or `{amount}}`.
      expect(text.replace(PLACEHOLDER, ""), key).not.toMatch(/[{}]/);
    }
  });

  it("keeps every URL and slash command exactly as in English", () => {
    const wrong: string[] = [];
    const tokens = (text: string) => [
      ...(text.match(/https?:\/\/[^\s—]+?(?=[.,;)]?(\s|$))/g) ?? []),
      ...(text.match(/(?<![\w/])\/[a-z_]+/g) ?? []),
    ];
    for (const [key, english] of enMessages) {
      for (const [form, text] of own.get(key)?.forms ?? []) {
        const source = english.forms.get(form) ?? english.forms.get("other") ?? "";
        for (const token of tokens(source)) if (!text.includes(token)) wrong.push(`${key}: lost ${token}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("is a translation, not a copy of English", () => {
    const all = leaves(en);
    const ownTexts = new Map(leaves(catalogue(locale)));
    const same = all.filter(
      ([key, text]) => ownTexts.get(key) === text && /\p{L}{4,}/u.test(text.replace(PLACEHOLDER, "")),
    );
    // Names (Rust) and a few loanwords ("Status", "Total", "Float") read the same in some languages.
    expect(same.length / all.length, same.map(([k]) => k).join(", ")).toBeLessThan(0.05);
  });

  it("picks its own plural form for every count, never falling back to English", () => {
    const i18n = createI18n({ defaultLocale: "en" });
    const rules = new Intl.PluralRules(locale);
    for (const [key, message] of own) {
      if (message.forms.has("")) continue;
      const english = enMessages.get(key);
      const params: Record<string, string | number> = {};
      for (const p of placeholders([...(english?.forms.values() ?? [])].join(" "))) params[p] = `<${p}>`;
      for (const count of [0, 1, 2, 3, 5, 11, 12, 21, 22, 25, 101, 112, 1_000_000]) {
        const form = count === 0 && message.forms.has("zero") ? "zero" : rules.select(count);
        const expected = (message.forms.get(form) ?? "").replace(PLACEHOLDER, (_, name: string) =>
          name === "count" ? String(count) : `<${name}>`,
        );
        expect(i18n.t(locale, key as MessageKey, { ...params, count }), `${key} ×${count}`).toBe(expected);
      }
    }
    expect(i18n.problems()).toEqual([]);
  });
});

describe.each(SUPPORTED_LOCALES)("the %s texts the platforms show outside a message", (locale) => {
  const texts = new Map(leaves(catalogue(locale)));
  const longerThan = (max: number, keys: string[]) =>
    keys.filter((k) => [...(texts.get(k) ?? "")].length > max).map((k) => `${k}: ${texts.get(k)}`);

  it("describe commands and options within Discord's 100 characters", () => {
    const keys = [...texts.keys()].filter((k) => k.startsWith("commands."));
    expect(keys.length).toBeGreaterThan(20);
    expect(longerThan(100, keys)).toEqual([]);
  });

  it("title and label Discord's ask-modals within 45 characters", () => {
    expect(
      longerThan(45, [
        "link.modalTitle",
        "link.modalLabel",
        "withdraw.modalTitle",
        "withdraw.searchPlaceholder",
      ]),
    ).toEqual([]);
  });

  it("label buttons within Discord's 80 characters and answer a Telegram button press within 200", () => {
    const buttons = [...texts.keys()].filter((k) => k.startsWith("picker.buttons."));
    buttons.push("common.viewOffer", "common.openInSteam", "telegram.openPrivate");
    expect(longerThan(80, buttons)).toEqual([]);
    expect(longerThan(200, ["common.working"])).toEqual([]);
  });
});

// ---- every English message is one the code can show --------------------------------------------

/** Every CoreError key: the compiler refuses this object when the union gains or loses one. */
const CORE_ERROR_KEYS = {
  notLinked: true,
  alreadyLinked: true,
  steamAccountTaken: true,
  invalidTradeUrl: true,
  tradeUrlState: true,
  tradeUrlEscrow: true,
  insufficientBalance: true,
  pickerExpired: true,
  pickerNotYours: true,
  nothingSelected: true,
  tooManySelected: true,
  depositsPaused: true,
  withdrawalsPaused: true,
  memberLocked: true,
  withdrawalsLockedNegative: true,
  alreadyConfirmed: true,
  tradeInProgress: true,
  cancelTooSoon: true,
  notCancellable: true,
  notAdmin: true,
  unknownMember: true,
  amountInvalid: true,
  reasonRequired: true,
  internal: true,
  linkChanged: true,
  signinExpired: true,
  signinNotYours: true,
  signinPending: true,
  unlinkLocked: true,
  steamAccountLocked: true,
  joinHostsOthers: true,
  joinCodeInvalid: true,
} satisfies Record<CoreErrorKey, true>;

const tradeUrlStates = CheckTradeUrlData.shape.state;

/**
 * Messages whose key the code builds at run time: a family counts as used while the code still
 * builds its prefix (`builtBy`), and then only for the suffixes the code can produce.
 */
const DYNAMIC_FAMILIES: { prefix: string; builtBy: RegExp; suffixes?: readonly string[] }[] = [
  {
    prefix: "errors.assetpay.",
    builtBy: /`errors\.assetpay\.\$\{/,
    suffixes: [...ERROR_KEYS, ...CLIENT_ERROR_KEYS],
  },
  {
    prefix: "errors.core.tradeUrlState.",
    builtBy: /`errors\.core\.tradeUrlState\.\$\{/,
    suffixes: Array.from(
      { length: (tradeUrlStates.maxValue ?? 0) - (tradeUrlStates.minValue ?? 0) + 1 },
      (_, i) => String((tradeUrlStates.minValue ?? 0) + i),
    ),
  },
  { prefix: "errors.core.", builtBy: /`errors\.core\.\$\{/, suffixes: Object.keys(CORE_ERROR_KEYS) },
  { prefix: "notify.reason.", builtBy: /`notify\.reason\.\$\{/, suffixes: TRADE_ERRORS },
  { prefix: "trades.status.", builtBy: /`trades\.status\.\$\{/, suffixes: TRADE_STATUSES },
  // commands/admin.ts: `admin.${sub === "pause" ? "paused" : "resumed"}.${name}`
  { prefix: "admin.paused.", builtBy: /`admin\.\$\{[^`]*"paused"[^`]*\}\.\$\{/ },
  { prefix: "admin.resumed.", builtBy: /`admin\.\$\{[^`]*"resumed"[^`]*\}\.\$\{/ },
];

/**
 * English messages no code shows yet. Kept rather than deleted because they name screens other
 * engineers are building (confirmation step, balance history, inbox reminder, wallet alert); each
 * must leave this list the day the code uses it, and the test below says so.
 */
// Keys kept for code that does not exist yet: none. A key nobody uses is deleted, not parked.
const NOT_YET_USED = new Set<string>([]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("the English catalogue's messages", () => {
  const source = ["src", "commands"]
    .flatMap((dir) => sourceFiles(join(ROOT, dir)))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
  const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const named = (key: string) => new RegExp(`["'\`]${escapeRegExp(key)}["'\`]`).test(source);
  const built = (key: string) =>
    DYNAMIC_FAMILIES.some(
      (f) =>
        key.startsWith(f.prefix) &&
        f.builtBy.test(source) &&
        (f.suffixes === undefined || f.suffixes.includes(key.slice(f.prefix.length))),
    );
  const used = (key: string) => named(key) || built(key);

  it("are each shown by some code, by name or through a family the code builds", () => {
    const unused = [...enMessages.keys()].filter((k) => !used(k) && !NOT_YET_USED.has(k));
    expect(unused).toEqual([]);
  });

  it("come from families the code still builds", () => {
    expect(DYNAMIC_FAMILIES.filter((f) => !f.builtBy.test(source)).map((f) => f.prefix)).toEqual([]);
  });

  it("allow-list as not yet used only English keys that no code uses", () => {
    const stale = [...NOT_YET_USED].filter((k) => !enMessages.has(k) || used(k));
    expect(stale, "remove these from NOT_YET_USED").toEqual([]);
  });
});
