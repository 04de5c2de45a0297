/**
 * Looking trades up by trade id or externalId (the merchant's route): one ref, where a miss is
 * TRADE_NOT_FOUND, or many, in chunks AssetPay accepts, where misses are simply absent. Refs
 * are checked first because a comma would silently turn one lookup into a batch.
 */

import type { z } from "zod";
import type { CallOptions, NamedRequest } from "./authed-calls.ts";
import { ENDPOINTS } from "./endpoints.ts";
import { AssetPayError } from "./errors.ts";
import { checkRef } from "./requests.ts";
import { type Trade, type TradeLookupData, toTrade } from "./schemas.ts";

const MAX_REFS_PER_LOOKUP = 100;

type LookupData = z.output<typeof TradeLookupData>;

export function createLookups(
  asMerchant: (s: NamedRequest<typeof TradeLookupData>, callOpts?: CallOptions) => Promise<LookupData>,
) {
  async function getTrade(ref: string, callOpts?: CallOptions): Promise<Trade> {
    checkRef("getTrade", ref);
    const data = await asMerchant({ ...ENDPOINTS.getTrades.request([ref]), operation: "getTrade" }, callOpts);
    if (!Array.isArray(data)) return toTrade(data);
    const hit = data.find((t) => t.id === ref || t.externalId === ref);
    if (hit === undefined) {
      throw new AssetPayError({
        status: 404,
        code: 0,
        key: "TRADE_NOT_FOUND",
        message: "getTrade: no trade with that reference",
        operation: "getTrade",
      });
    }
    return toTrade(hit);
  }

  async function getTrades(refs: readonly string[], callOpts?: CallOptions): Promise<Trade[]> {
    for (const ref of refs) checkRef("getTrades", ref);
    const unique = [...new Set(refs)];
    const out: Trade[] = [];
    for (let i = 0; i < unique.length; i += MAX_REFS_PER_LOOKUP) {
      const chunk = unique.slice(i, i + MAX_REFS_PER_LOOKUP);
      let data: LookupData;
      try {
        data = await asMerchant({ ...ENDPOINTS.getTrades.request(chunk), operation: "getTrades" }, callOpts);
      } catch (err) {
        // A one-ref lookup answers a miss with 404 rather than an empty list.
        if (err instanceof AssetPayError && err.key === "TRADE_NOT_FOUND") continue;
        throw err;
      }
      for (const t of Array.isArray(data) ? data : [data]) out.push(toTrade(t));
    }
    return out;
  }

  return { getTrade, getTrades };
}
