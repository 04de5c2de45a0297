/**
 * Every success response of every operation, every error envelope and every callback body the
 * sandbox produced in a scenario covering the whole surface is checked against the official
 * contract, closed: a property the contract does not name fails too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContract } from "../support/openapi.ts";
import {
  type Api,
  type ApiResponse,
  cheapListing,
  depositable,
  startWorld,
  tokenFor,
  tradeUrl,
  type World,
} from "./harness.ts";

const contract = loadContract({ closed: true });

/** Extra merchant routes the distilled contract omits, checked against their client twins. */
const TWINS: Record<string, string> = {
  "GET /secure/market": "/client/market",
  "GET /secure/market/item": "/client/market/item",
  "POST /secure/buy/quick": "/client/trading/withdraw/quick",
  "GET /secure/trades": "/client/trades",
};

interface Seen {
  method: string;
  path: string;
  res: ApiResponse;
}

let w: World;
const seen: Seen[] = [];

function recording(api: Api): Api {
  const call: Api["call"] = async (method, path, opts) => {
    const res = await api.call(method, path, opts);
    seen.push({ method, path, res });
    return res;
  };
  return {
    call,
    merchant: (method, path, body) => call(method, path, { body, headers: { "api-key": w.sandbox.apiKey } }),
    client: (token, method, path, body) =>
      call(method, path, { body, headers: { authorization: `Bearer ${token}` } }),
    control: api.control,
  };
}

function contractPath(method: string, path: string): string {
  const bare = path.split("?")[0] ?? path;
  if (/^\/secure\/buy\/[^/]+\/cancel$/.test(bare)) return "/client/trading/withdraw/x/cancel";
  return TWINS[`${method} ${bare}`] ?? path;
}

beforeAll(async () => {
  w = await startWorld();
  const api = recording(w.api);
  const token = tokenFor(5001, { clientId: "member-5001" });
  const slow = tokenFor(5002, { token: "WDSLOW00" });
  const seller = tradeUrl(5003);

  await api.merchant("POST", "/auth/authenticate-client", {
    clientSteamId: "76561197960270729",
    clientTradeUrl: tradeUrl(5001),
    clientId: "member-5001",
  });
  for (const t of ["AbCdEf12", "ESCROW07", "PRIVATE0", "BADURL00", "CS2BAN00"]) {
    await api.merchant("POST", "/secure/check-tradeurl", { tradeurl: tradeUrl(5001, t), forceRefresh: true });
  }
  await api.merchant("GET", "/secure/prices");
  await api.merchant("GET", "/secure/prices?game=252490");
  await api.client(token, "GET", "/client/inventory?limit=5");
  await api.client(token, "GET", "/client/inventory?game=252490&limit=-1");
  await api.merchant("GET", `/secure/inventory?tradeUrl=${encodeURIComponent(seller)}&limit=3`);
  await api.client(token, "GET", "/client/market?perPage=5&sort=priceDesc");
  await api.client(token, "GET", "/client/market?game=252490&perPage=5");
  await api.client(token, "GET", "/client/market?perPage=3&development=1");
  await api.merchant("GET", "/secure/market?perPage=3");
  await api.client(token, "GET", "/client/market/suggestions?q=doppler");
  const doppler = (await w.api.client(token, "GET", "/client/market/suggestions?q=Karambit | Doppler")).body
    .data[0];
  await api.client(token, "GET", `/client/market/item?itemId=${doppler.id}&perPage=5`);
  await api.merchant(
    "GET",
    `/secure/market/item?marketHashName=${encodeURIComponent(doppler.marketHashName)}`,
  );

  const items = await depositable(w.api, token, 730, 2);
  const dep = await api.client(token, "POST", "/client/trading/deposit", {
    items: [{ itemId: items[0]?.id, price: items[0]?.offer.price }],
    isInstant: true,
    externalId: "contract-dep",
  });
  const [rustItem] = await depositable(w.api, token, 252490);
  await api.client(token, "POST", "/client/trading/deposit", {
    items: [{ itemId: rustItem?.id, price: rustItem?.offer.price, amount: 1 }],
    game: "252490",
  });
  const [own] = await depositable(w.api, tokenFor(5003), 730);
  await api.merchant("POST", "/secure/sell", {
    tradeUrl: seller,
    items: [{ itemId: own?.id, price: own?.offer.price }],
  });

  const a = await cheapListing(w.api, token, { skip: 0 });
  const b = await cheapListing(w.api, token, { skip: 1 });
  const c = await cheapListing(w.api, token, { skip: 2 });
  const d = await cheapListing(w.api, token, { skip: 3 });
  await api.client(token, "POST", "/client/trading/withdraw", {
    items: [{ itemId: a.id, price: a.price, externalId: "line-a" }],
    externalId: "contract-wd",
  });
  await api.client(slow, "POST", "/client/trading/withdraw", {
    items: [
      { itemId: b.id, price: b.price, externalId: "line-b" },
      { itemId: c.id, price: c.price },
    ],
    externalId: "contract-slow",
    autoCancel: 720,
  });
  await api.merchant("POST", "/secure/buy", {
    tradeUrl: tradeUrl(5004, "WDSLOW00"),
    items: [{ itemId: d.id, price: d.price }],
    externalId: "contract-buy",
    autoCancel: 720,
  });
  await api.client(token, "POST", "/client/trading/withdraw/quick", {
    itemId: a.itemId,
    maxPrice: 100,
    amount: 2,
  });
  await api.merchant("POST", "/secure/buy/quick", {
    tradeUrl: tradeUrl(5004),
    itemId: a.itemId,
    maxPrice: 100,
    amount: 1,
  });
  await w.sandbox.clock.advance(31 * 60);
  await api.client(slow, "POST", "/client/trading/withdraw/contract-slow/items/line-b/cancel");
  await api.client(slow, "POST", "/client/trading/withdraw/contract-slow/cancel");
  await api.merchant("POST", `/secure/buy/contract-buy/items/${d.id}/cancel`);
  await api.merchant("POST", "/secure/buy/contract-buy/cancel");
  await w.sandbox.clock.advance(8 * 86_400);

  await api.client(token, "GET", "/client/trades?limit=2");
  const page = (await w.api.client(token, "GET", "/client/trades?limit=2")).body.data;
  await api.client(token, "GET", `/client/trades?limit=2&cursor=${page.nextCursor}`);
  await api.client(token, "GET", "/client/trades?game=252490&type=deposit");
  await api.merchant("GET", "/secure/trades");
  await api.merchant("GET", `/secure/trades/${dep.body.data.id}`);
  await api.merchant("GET", "/secure/trades/contract-dep,contract-wd,contract-slow,nope");

  // A few refusals, for the error envelope.
  await api.call("GET", "/client/inventory");
  await api.client(token, "POST", "/client/trading/deposit", { items: [{ itemId: "x", price: 1 }], junk: 1 });
  await api.merchant("GET", "/secure/trades/not-a-trade");
});

afterAll(async () => {
  await w.close();
});

describe("the sandbox against the official contract", () => {
  it("covered every operation of the contract with a success response", () => {
    const covered = new Set(
      seen
        .filter((s) => s.res.status === 200)
        .map((s) => `${s.method} ${contract.templateFor(s.method, contractPath(s.method, s.path))}`),
    );
    const missing = contract
      .operations()
      .map((op) => `${op.method} ${op.path}`)
      .filter((op) => !covered.has(op));
    expect(missing).toEqual([]);
  });

  it("answers every success in the contract's shape", () => {
    const ok = seen.filter((s) => s.res.status === 200);
    expect(ok.length).toBeGreaterThan(30);
    for (const s of ok) contract.assert(s.method, contractPath(s.method, s.path), 200, s.res.body);
  });

  it("answers every refusal in the contract's error envelope", () => {
    const refused = seen.filter((s) => s.res.status !== 200);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const s of refused) {
      const op = contract
        .operations()
        .find((o) => o.path === contract.templateFor(s.method, contractPath(s.method, s.path)));
      const status = op?.statuses.find((x) => x !== "200") ?? "400";
      contract.assert(s.method, contractPath(s.method, s.path), Number(status), s.res.body);
    }
  });

  it("sends every callback body's trade in the contract's Trade shape", () => {
    const trades = w.receiver.received.filter((r) => r.body.trade !== undefined);
    expect(new Set(trades.map((t) => t.body.trade?.status))).toEqual(
      new Set(["initiated", "pending", "active", "hold", "completed", "reverted"]),
    );
    for (const t of trades) {
      expect(Object.keys(t.body)).toEqual(["trade"]);
      contract.assert("GET", "/secure/trades/x", 200, { requestId: "r", success: true, data: t.body.trade });
    }
  });

  it("never puts more than two decimals on a price", () => {
    const prices: number[] = [];
    const walk = (node: unknown, key?: string): void => {
      if (Array.isArray(node)) for (const n of node) walk(n);
      else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, k);
      else if (
        typeof node === "number" &&
        key &&
        /price|credit|deposit|standard|instant|withdraw|merchant|provider|collateral/i.test(key)
      ) {
        prices.push(node);
      }
    };
    for (const s of seen) walk(s.res.body);
    for (const r of w.receiver.received) walk(r.body);
    expect(prices.length).toBeGreaterThan(100);
    expect(prices.filter((p) => Math.abs(Math.round(p * 100) - p * 100) > 1e-6)).toEqual([]);
  });
});
