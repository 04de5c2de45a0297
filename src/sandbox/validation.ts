/**
 * Strict request validation, mirroring each operation's schema in the contract: same regexes,
 * limits and `additionalProperties: false`. A failure becomes VALIDATION_FAILED (422, see
 * README "Decisions") with `fields` keyed by dotted path.
 */
import { z } from "zod";
import { DOPPLER_PHASES, STEAM_ID_PATTERN, TRADE_URL_PATTERN } from "../assetpay/schemas.ts";
import { validationError } from "./errors.ts";

const TRADE_URL_MESSAGE =
  "Trade URL must be https://steamcommunity.com/tradeoffer/new/?partner=<1-10 digits>&token=<8 characters>";

const tradeUrl = z.string().regex(TRADE_URL_PATTERN, TRADE_URL_MESSAGE);
const externalId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^,]*$/, "must not contain commas");
const game = z
  .string()
  .refine((g) => g === "730" || g === "252490", 'must be "730" (CS2) or "252490" (Rust)');
const autoCancel = z.number().int().min(30).max(720);
const price = z.number().gt(0);
const capped = z.number().gt(0).max(100_000);

export const AuthenticateClientBody = z.strictObject({
  clientSteamId: z.string().regex(STEAM_ID_PATTERN, "must be a SteamID64 (76561 followed by 12 digits)"),
  clientTradeUrl: tradeUrl,
  clientData: z
    .strictObject({
      totalWager: z.number().min(0).optional(),
      registrationDate: z.iso.datetime({ offset: true }).nullable().optional(),
      kycHash: z.string().optional(),
      kycLevel: z.number().int().min(0).optional(),
      fiatDeposits: z.boolean().optional(),
      cryptoDeposits: z.boolean().optional(),
    })
    .optional(),
  clientId: z.string().max(128).optional(),
});

export const CheckTradeUrlBody = z.strictObject({
  tradeurl: tradeUrl,
  forceRefresh: z.boolean().optional(),
});

const depositItem = z.strictObject({
  itemId: z.string().min(5).max(256),
  price,
  amount: z.number().int().min(1).max(10_000).optional(),
});

// items' min/max are checked after validation so they answer MISSING_ITEMS / TOO_MANY_ITEMS,
// the keys the endpoint pages document for an empty or oversized basket.
export const DepositBody = z.strictObject({
  items: z.array(depositItem),
  game: game.optional(),
  externalId: externalId.optional(),
  isInstant: z.boolean().optional(),
});

export const SellBody = DepositBody.extend({ tradeUrl });

const withdrawItem = z.strictObject({
  itemId: z.string().min(5).max(256),
  price: capped,
  maxPrice: capped.optional(),
  externalId: externalId.optional(),
});

export const WithdrawBody = z.strictObject({
  items: z.array(withdrawItem),
  slippageBps: z.number().int().min(0).max(2000).optional(),
  autoCancel: autoCancel.optional(),
  game: game.optional(),
  externalId: externalId.optional(),
});

export const BuyBody = WithdrawBody.extend({ tradeUrl });

const quickShape = {
  itemId: z.string().min(5).max(256).optional(),
  marketHashName: z.string().min(1).max(256).optional(),
  maxPrice: capped,
  amount: z.number().int().min(1).max(200),
  delivery: z.enum(["standard", "instant"]).optional(),
  phase: z.enum(DOPPLER_PHASES).optional(),
  autoCancel: autoCancel.optional(),
  game: game.optional(),
  externalId: externalId.optional(),
  externalIds: z.array(z.string().min(1).max(128)).optional(),
};

type QuickInput = {
  itemId?: string | undefined;
  marketHashName?: string | undefined;
  amount: number;
  delivery?: "standard" | "instant" | undefined;
  phase?: string | undefined;
  externalIds?: string[] | undefined;
};

function checkQuick(body: QuickInput, ctx: z.RefinementCtx): void {
  if (body.itemId === undefined && body.marketHashName === undefined) {
    ctx.addIssue({ code: "custom", path: ["itemId"], message: "itemId or marketHashName is required" });
  }
  if (body.phase !== undefined && body.delivery === "instant") {
    ctx.addIssue({
      code: "custom",
      path: ["phase"],
      message: "phase cannot be combined with instant delivery",
    });
  }
  if (body.externalIds !== undefined && body.externalIds.length !== body.amount) {
    ctx.addIssue({ code: "custom", path: ["externalIds"], message: "must hold exactly `amount` entries" });
  }
}

export const QuickWithdrawBody = z.strictObject(quickShape).superRefine(checkQuick);
export const QuickBuyBody = z.strictObject({ ...quickShape, tradeUrl }).superRefine(checkQuick);

// ---------------------------------------------------------------------------------------------
// Query strings: every value arrives as a string.

const intString = (check: (n: number) => string | undefined) =>
  z.string().transform((raw, ctx) => {
    if (!/^-?\d+$/.test(raw)) {
      ctx.addIssue({ code: "custom", message: "must be an integer" });
      return z.NEVER;
    }
    const n = Number(raw);
    const problem = check(n);
    if (problem !== undefined) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return n;
  });

const numberString = (min?: number, max?: number) =>
  z.string().transform((raw, ctx) => {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n)) {
      ctx.addIssue({ code: "custom", message: "must be a number" });
      return z.NEVER;
    }
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      ctx.addIssue({ code: "custom", message: `must be between ${min ?? "-∞"} and ${max ?? "∞"}` });
      return z.NEVER;
    }
    return n;
  });

const boolString = (allowDigits: boolean) =>
  z.string().transform((raw, ctx) => {
    if (raw === "true" || (allowDigits && raw === "1")) return true;
    if (raw === "false" || (allowDigits && raw === "0")) return false;
    ctx.addIssue({
      code: "custom",
      message: allowDigits ? "must be true, false, 1 or 0" : "must be true or false",
    });
    return z.NEVER;
  });

const gameInt = intString((n) =>
  n === 730 || n === 252490 ? undefined : "must be 730 (CS2) or 252490 (Rust)",
);
const positive = intString((n) => (n > 0 ? undefined : "must be greater than 0"));
const pageSize = intString((n) =>
  n === -1 || (n >= 1 && n <= 1000) ? undefined : "must be -1 (all) or 1-1000",
);

export const InventoryQuery = z.object({
  refresh: boolString(false).optional(),
  acceptedOnly: boolString(false).optional(),
  game: gameInt.optional(),
  search: z.string().max(100).optional(),
  sort: z.string().optional(),
  minPrice: numberString(0).optional(),
  maxPrice: numberString(0).optional(),
  page: positive.optional(),
  limit: pageSize.optional(),
});

export const SecureInventoryQuery = InventoryQuery.extend({ tradeUrl });

export const MARKET_SORTS = ["relevance", "priceAsc", "priceDesc", "nameAsc", "nameDesc"] as const;

export const MarketQuery = z.object({
  game: gameInt.optional(),
  search: z.string().max(100).optional(),
  sort: z.enum(MARKET_SORTS).optional(),
  minPrice: numberString(0).optional(),
  maxPrice: numberString(0).optional(),
  page: positive.optional(),
  perPage: pageSize.optional(),
  development: boolString(true).optional(),
});

export const MarketItemQuery = z
  .object({
    itemId: z.string().min(1).max(256).optional(),
    marketHashName: z.string().min(1).max(256).optional(),
    delivery: z.enum(["any", "standard", "instant"]).optional(),
    phase: z.enum(DOPPLER_PHASES).optional(),
    floatMin: numberString(0, 1).optional(),
    floatMax: numberString(0, 1).optional(),
    page: positive.optional(),
    perPage: intString((n) => (n >= 1 && n <= 100 ? undefined : "must be 1-100")).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.itemId === undefined && q.marketHashName === undefined) {
      ctx.addIssue({ code: "custom", path: ["itemId"], message: "itemId or marketHashName is required" });
    }
  });

export const SuggestionsQuery = z.object({ q: z.string().min(1).max(100) });

export const PricesQuery = z.object({ game: gameInt.optional() });

export const TradesQuery = z.object({
  cursor: z.string().optional(),
  limit: intString((n) => (n >= 1 && n <= 100 ? undefined : "must be 1-100")).optional(),
  type: z.enum(["deposit", "withdraw"]).optional(),
  game: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------

const REQUIRED = "is required";

/** A size or value limit in words: `[inclusive, strict]` say which side, e.g. "at least", "greater than". */
function bound(
  origin: string,
  n: number,
  inclusive: boolean | undefined,
  [within, beyond]: readonly [string, string],
): string {
  if (origin === "string") return `must be ${within} ${n} characters`;
  if (origin === "array") return `must contain ${within} ${n} items`;
  return inclusive ? `must be ${within} ${n}` : `must be ${beyond} ${n}`;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.message === REQUIRED ? REQUIRED : `must be ${article(issue.expected)}`;
    case "too_small":
      return bound(issue.origin, Number(issue.minimum), issue.inclusive, ["at least", "greater than"]);
    case "too_big":
      return bound(issue.origin, Number(issue.maximum), issue.inclusive, ["at most", "less than"]);
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === "int") return "an integer";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Flattens zod issues into `{dotted.path: reason}`, one entry per offending field. */
export function issuesToFields(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  const put = (path: string, reason: string): void => {
    if (!(path in fields)) fields[path] = reason;
  };
  for (const issue of issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) put(base ? `${base}.${key}` : key, "is not allowed");
      continue;
    }
    if (issue.code === "invalid_union") {
      put(base || "body", "is invalid");
      continue;
    }
    put(base || "body", describe(issue));
  }
  return fields;
}

/** Parses `input` with `schema` or throws VALIDATION_FAILED. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, {
    error: (issue) => (issue.code === "invalid_type" && issue.input === undefined ? REQUIRED : undefined),
  });
  if (result.success) return result.data;
  throw validationError(issuesToFields(result.error.issues));
}

/** Turns URLSearchParams into a plain object for a query schema; empty values count as absent. */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) {
    if (value === "" || key in out) continue;
    out[key] = value;
  }
  return out;
}

/**
 * `items.<i>.<key>` → reason for every item repeating an earlier item's value of `key`; items
 * without the key are skipped. Fields come in item order, each item's keys in `checks` order.
 */
export function repeatedItemFields<T extends object>(
  items: readonly T[],
  checks: readonly (readonly [keyof T & string, string])[],
): Record<string, string> {
  const seen = new Map(checks.map(([key]) => [key, new Set<unknown>()]));
  const fields: Record<string, string> = {};
  items.forEach((item, i) => {
    for (const [key, reason] of checks) {
      const value = item[key];
      const values = seen.get(key);
      if (value === undefined || !values) continue;
      if (values.has(value)) fields[`items.${i}.${key}`] = reason;
      values.add(value);
    }
  });
  return fields;
}
