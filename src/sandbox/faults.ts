/**
 * Fault injection for callback deliveries (duplicate, reorder, delay, drop, corrupt signature)
 * and for API calls (answer the next N calls of a route with an error key). Each delivery fault
 * applies to the next N deliveries or with a probability drawn from a seeded PRNG, so a flaky
 * run can be replayed.
 */
import { z } from "zod";
import { ERROR_KEYS, type ErrorKey } from "../assetpay/error-codes.ts";
import { createRng, type Rng } from "./prng.ts";

export interface FaultRule {
  /** Applies to the next `count` ordinary deliveries. */
  count?: number;
  /** Applies to each delivery with this probability (0–1), drawn from the seeded PRNG. */
  probability?: number;
}

export interface ApiErrorRule {
  /** `"POST /client/trading/deposit"` (path template as in the contract), or `"*"` for any API route. */
  route: string;
  key: ErrorKey;
  /** How many calls to answer with the error (default 1). */
  count?: number;
  /** Seconds for a Retry-After header. */
  retryAfter?: number;
}

export interface FaultSpec {
  duplicate?: FaultRule;
  reorder?: FaultRule;
  drop?: FaultRule;
  corrupt?: FaultRule;
  delay?: FaultRule & { ms: number };
  /** Seed of the PRNG behind probabilities (default 1). */
  seed?: number | string;
  apiErrors?: ApiErrorRule[];
}

export interface DeliveryFaults {
  drop: boolean;
  duplicate: boolean;
  reorder: boolean;
  corrupt: boolean;
  delayMs: number;
}

export interface FaultStats {
  duplicated: number;
  reordered: number;
  dropped: number;
  corrupted: number;
  delayed: number;
  apiErrors: number;
}

export interface Faults {
  /** Replaces the whole fault configuration (and restarts the PRNG). */
  set(spec: FaultSpec): void;
  clear(): void;
  config(): FaultSpec;
  stats(): FaultStats;
  /** Rolls the faults of one ordinary delivery, consuming counts. */
  decide(): DeliveryFaults;
  /** The error to answer this API call with, if an apiErrors rule matches (consumes one count). */
  takeApiError(route: string): ApiErrorRule | undefined;
  reset(): void;
}

const rule = z
  .union([
    z.number().int().min(0),
    z.strictObject({
      count: z.number().int().min(0).optional(),
      probability: z.number().min(0).max(1).optional(),
    }),
  ])
  .transform((r): FaultRule => (typeof r === "number" ? { count: r } : r));

/** The JSON accepted by `POST /_sandbox/faults` and `sandbox.setFaults` (a bare number = count). */
export const FaultSpecSchema = z.strictObject({
  duplicate: rule.optional(),
  reorder: rule.optional(),
  drop: rule.optional(),
  corrupt: rule.optional(),
  delay: z
    .strictObject({
      ms: z.number().int().min(0).max(600_000),
      count: z.number().int().min(0).optional(),
      probability: z.number().min(0).max(1).optional(),
    })
    .optional(),
  seed: z.union([z.number(), z.string()]).optional(),
  apiErrors: z
    .array(
      z.strictObject({
        route: z.string().min(1),
        key: z.enum(ERROR_KEYS as [ErrorKey, ...ErrorKey[]]),
        count: z.number().int().min(1).optional(),
        retryAfter: z.number().int().min(0).optional(),
      }),
    )
    .optional(),
});
export type FaultSpecInput = z.input<typeof FaultSpecSchema>;

const emptyStats = (): FaultStats => ({
  duplicated: 0,
  reordered: 0,
  dropped: 0,
  corrupted: 0,
  delayed: 0,
  apiErrors: 0,
});

export function createFaults(): Faults {
  let spec: FaultSpec = {};
  let rng: Rng = createRng(1);
  let stats = emptyStats();

  const fires = (r: FaultRule | undefined): boolean => {
    if (!r) return false;
    if (r.count !== undefined && r.count > 0) {
      r.count--;
      return true;
    }
    return r.probability !== undefined && r.probability > 0 && rng.chance(r.probability);
  };

  return {
    set(next) {
      spec = structuredClone(next);
      rng = createRng(typeof spec.seed === "string" ? spec.seed : (spec.seed ?? 1));
    },
    clear() {
      spec = {};
    },
    config: () => structuredClone(spec),
    stats: () => ({ ...stats }),
    decide() {
      const drop = fires(spec.drop);
      const out: DeliveryFaults = {
        drop,
        duplicate: !drop && fires(spec.duplicate),
        reorder: !drop && fires(spec.reorder),
        corrupt: !drop && fires(spec.corrupt),
        delayMs: !drop && fires(spec.delay) ? (spec.delay?.ms ?? 0) : 0,
      };
      if (out.drop) stats.dropped++;
      if (out.duplicate) stats.duplicated++;
      if (out.reorder) stats.reordered++;
      if (out.corrupt) stats.corrupted++;
      if (out.delayMs > 0) stats.delayed++;
      return out;
    },
    takeApiError(route) {
      const rules = spec.apiErrors ?? [];
      const at = rules.findIndex((r) => r.route === "*" || r.route === route);
      const hit = rules[at];
      if (!hit) return undefined;
      const left = (hit.count ?? 1) - 1;
      if (left <= 0) rules.splice(at, 1);
      else hit.count = left;
      stats.apiErrors++;
      return hit;
    },
    reset() {
      spec = {};
      rng = createRng(1);
      stats = emptyStats();
    },
  };
}
