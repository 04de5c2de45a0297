import { Writable } from "node:stream";
import { inspect } from "node:util";
import { pino } from "pino";
import { Agent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AssetPayError, parseRetryAfter } from "../../src/assetpay/errors.ts";
import type { ResponseInfo } from "../../src/assetpay/http.ts";
import { destroySocket, type FakeAssetPay, fail, fakeAssetPay, hang, ok, raw } from "./fake-assetpay.ts";
import { API_KEY, API_SECRET, clientFor, inventoryData, member, TRADE_URL, tradeWire } from "./fixtures.ts";

const serverError = fail(500, { code: 1006, key: "SERVER_ERROR", message: "Internal error" });
const TRADES = /^\/secure\/trades\//;

let fake: FakeAssetPay;
beforeEach(async () => {
  fake = await fakeAssetPay();
});
afterEach(() => fake.close());

function everythingAbout(err: unknown): string {
  return `${inspect(err, { depth: 6, showHidden: true })}\n${JSON.stringify(err)}\n${String(err)}`;
}

describe("retries", () => {
  it("retries a read after a 500 and answers with the same request id on every attempt", async () => {
    fake.on("GET", TRADES, serverError, serverError, ok(tradeWire()));
    const client = clientFor(fake);
    const trade = await client.getTrade("dep-1");

    expect(trade.id).toBe(tradeWire()["id"]);
    const calls = fake.calls("GET", TRADES);
    expect(calls).toHaveLength(3);
    const ids = new Set(calls.map((c) => c.headers["x-request-id"]));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await client.close();
  });

  it("retries a read whose connection was destroyed", async () => {
    fake.on("GET", "/client/inventory", destroySocket, ok(inventoryData()));
    const client = clientFor(fake);
    const page = await client.inventory(member, { game: "730" });
    expect(page.count).toBe(1);
    expect(fake.calls("GET", "/client/inventory")).toHaveLength(2);
    await client.close();
  });

  it("gives up after the configured number of attempts with the last error", async () => {
    fake.on("GET", TRADES, serverError);
    const client = clientFor(fake, { retry: { attempts: 2, baseDelayMs: 1 } });
    const err = await client.getTrade("dep-1").catch((e) => e);
    expect(err).toBeInstanceOf(AssetPayError);
    expect(err).toMatchObject({ key: "SERVER_ERROR", status: 500, code: 1006, operation: "getTrade" });
    expect(err.isRetryable).toBe(true);
    expect(fake.calls("GET", TRADES)).toHaveLength(2);
    await client.close();
  });

  it("does not retry a read the server refused with a 4xx", async () => {
    fake.on(
      "GET",
      "/client/inventory",
      fail(400, { code: 13, key: "INVALID_TRADEURL", message: "Invalid trade URL" }),
    );
    const client = clientFor(fake);
    const err = await client.inventory(member, { game: "730" }).catch((e) => e);
    expect(err).toMatchObject({ key: "INVALID_TRADEURL", status: 400, code: 13 });
    expect(err.isRetryable).toBe(false);
    expect(fake.calls("GET", "/client/inventory")).toHaveLength(1);
    await client.close();
  });

  it("waits out a short Retry-After on a 429 before reading again", async () => {
    fake.on(
      "GET",
      TRADES,
      fail(429, { code: 1005, key: "RATE_LIMITED", message: "Slow down" }, { "retry-after": "1" }),
      ok(tradeWire()),
    );
    // The pause goes through an injected sleep: the test sees how long the client waited, without waiting.
    const paused: number[] = [];
    const client = clientFor(fake, {
      sleep: async (ms) => {
        paused.push(ms);
      },
    });
    await client.getTrade("dep-1");
    expect(paused).toEqual([1_000]);
    expect(fake.calls("GET", TRADES)).toHaveLength(2);
    await client.close();
  });

  it("throws at once with retryAfter when the server asks for a longer pause than the cap", async () => {
    fake.on(
      "GET",
      TRADES,
      fail(429, { code: 1005, key: "RATE_LIMITED", message: "Slow down" }, { "retry-after": "120" }),
    );
    const client = clientFor(fake);
    const err = await client.getTrade("dep-1").catch((e) => e);
    expect(err).toMatchObject({ key: "RATE_LIMITED", status: 429, retryAfter: 120 });
    expect(fake.calls("GET", TRADES)).toHaveLength(1);
    await client.close();
  });

  it("never re-sends a deposit that met a 500", async () => {
    fake.on("POST", "/client/trading/deposit", serverError);
    const client = clientFor(fake);
    const err = await client
      .deposit(member, {
        items: [{ itemId: "item-0001", priceCents: 1075 }],
        game: "730",
        externalId: "dep-1",
        isInstant: false,
      })
      .catch((e) => e);
    expect(err).toMatchObject({ key: "SERVER_ERROR", status: 500 });
    expect(fake.calls("POST", "/client/trading/deposit")).toHaveLength(1);
    await client.close();
  });

  it("does not retry a POST refused with a Retry-After either: the caller decides", async () => {
    fake.on(
      "POST",
      "/client/trading/withdraw",
      fail(503, { code: 1011, key: "FLEET_DEGRADED", message: "Fleet degraded" }, { "retry-after": "1" }),
    );
    const client = clientFor(fake);
    const err = await client
      .withdraw(member, {
        items: [{ itemId: "listing-01", priceCents: 500 }],
        game: "730",
        externalId: "wd-1",
      })
      .catch((e) => e);
    expect(err).toMatchObject({ key: "FLEET_DEGRADED", retryAfter: 1 });
    expect(err.isRetryable).toBe(true);
    expect(fake.calls("POST", "/client/trading/withdraw")).toHaveLength(1);
    await client.close();
  });
});

describe("timeouts", () => {
  /** Resolves once the fake has received a request on `path` (a wait for an effect, not for time). */
  async function untilCalled(method: "GET" | "POST", path: string): Promise<void> {
    while (fake.calls(method, path).length === 0) await new Promise((r) => setImmediate(r));
  }

  it("applies each operation's own deadline", async () => {
    // The market answer is held until inventory's 50 ms deadline has fired, which started after
    // the market call: ordering, not a timer, proves market outlived inventory's deadline.
    let answerMarket: () => void = () => {};
    fake.on("GET", "/client/inventory", hang);
    fake.on("GET", "/client/market", (req, res) => {
      answerMarket = () => ok({ items: [], count: 0 })(req, res);
    });
    const client = clientFor(fake, {
      retry: { attempts: 1 },
      // The default would outlast the test's own timeout: only the per-operation deadline ends it.
      timeouts: { defaultMs: 120_000, perOperation: { inventory: 50, market: 5_000 } },
    });
    const market = client.market(member, { game: "730" });
    await untilCalled("GET", "/client/market");
    const err = await client.inventory(member, { game: "730" }).catch((e) => e);
    expect(err).toMatchObject({ key: "SDK_TIMEOUT", status: 0, code: 0, operation: "inventory" });
    answerMarket();
    await expect(market).resolves.toEqual({ items: [], count: 0 });
    await client.close();
  });

  it("retries a read that timed out", async () => {
    fake.on("GET", TRADES, hang, ok(tradeWire()));
    const client = clientFor(fake, { timeouts: { defaultMs: 50 } });
    await expect(client.getTrade("dep-1")).resolves.toMatchObject({ externalId: "dep-1" });
    expect(fake.calls("GET", TRADES)).toHaveLength(2);
    await client.close();
  });

  it("gives trade-creating calls their longer deadline by default", async () => {
    // The deposit is answered only after a read with the 50 ms default, sent after it, timed out.
    let answerDeposit: () => void = () => {};
    fake.on("POST", "/client/trading/deposit", (req, res) => {
      answerDeposit = () => ok(tradeWire())(req, res);
    });
    fake.on("GET", "/client/inventory", hang);
    const client = clientFor(fake, { timeouts: { defaultMs: 50 }, retry: { attempts: 1 } });
    const deposit = client.deposit(member, {
      items: [{ itemId: "item-0001", priceCents: 1075 }],
      game: "730",
      externalId: "dep-1",
      isInstant: false,
    });
    await untilCalled("POST", "/client/trading/deposit");
    const read = await client.inventory(member, { game: "730" }).catch((e) => e);
    expect(read).toMatchObject({ key: "SDK_TIMEOUT", operation: "inventory" });
    answerDeposit();
    expect((await deposit).status).toBe("initiated");
    await client.close();
  });

  it("stops when the caller aborts", async () => {
    fake.on("GET", "/client/inventory", hang);
    const client = clientFor(fake);
    const controller = new AbortController();
    const pending = client.inventory(member, { game: "730" }, { signal: controller.signal }).catch((e) => e);
    // Abort once the request is in flight at the server (not on a timer: a loaded machine is slow).
    await untilCalled("GET", "/client/inventory");
    controller.abort();
    expect(await pending).toMatchObject({ key: "SDK_ABORTED", status: 0 });
    expect(fake.calls("GET", "/client/inventory")).toHaveLength(1);
    await client.close();
  });
  it("finds the per-call options after each method's arguments, optional ones included", async () => {
    const client = clientFor(fake);
    const aborted = AbortSignal.abort();
    const o = { signal: aborted };
    const answers = await Promise.all([
      client.checkTradeUrl(TRADE_URL, undefined, o).catch((e) => e),
      client.trades(member, undefined, o).catch((e) => e),
      client.walletBalance(o).catch((e) => e),
      client.cancelWithdrawItem(member, "t-1", "i-1", o).catch((e) => e),
    ]);
    for (const answer of answers) expect(answer).toMatchObject({ key: "SDK_ABORTED" });
    expect([...fake.calls("GET", /./), ...fake.calls("POST", /./)]).toHaveLength(0);
    await client.close();
  });
});

describe("responses", () => {
  it("maps the error envelope, keeping fields, details and keys it does not know", async () => {
    fake.on(
      "POST",
      "/client/trading/withdraw",
      fail(409, {
        code: 4242,
        key: "SOMETHING_NEW",
        message: ["items.0.price: too low", "items.1.price: too high"],
        fields: { "items.0.price": "too low", "items.1.price": "too high" },
        details: { items: [{ itemId: "listing-01", remaining: 0 }] },
      }),
    );
    const client = clientFor(fake);
    const err = await client
      .withdraw(member, {
        items: [{ itemId: "listing-01", priceCents: 500 }],
        game: "730",
        externalId: "wd-1",
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(AssetPayError);
    expect(err).toMatchObject({
      status: 409,
      code: 4242,
      key: "SOMETHING_NEW",
      message: "items.0.price: too low; items.1.price: too high",
      fields: { "items.0.price": "too low", "items.1.price": "too high" },
      details: { items: [{ itemId: "listing-01", remaining: 0 }] },
      requestId: "srv-req-err",
      operation: "withdraw",
    });
    await client.close();
  });

  it("turns a success payload that breaks the contract into SDK_INVALID_RESPONSE", async () => {
    fake.on("GET", "/client/inventory", ok({ inventory: [{ id: "x", appid: "730" }], count: 1 }));
    const client = clientFor(fake);
    const err = await client.inventory(member, { game: "730" }).catch((e) => e);
    expect(err).toMatchObject({ key: "SDK_INVALID_RESPONSE", code: 0, status: 200, operation: "inventory" });
    expect(err.message).toContain("inventory.0.appid");
    await client.close();
  });

  it("turns a body that is not an envelope into SDK_INVALID_RESPONSE", async () => {
    fake.on("GET", "/client/inventory", raw(400, "<html>Bad gateway</html>"));
    const client = clientFor(fake);
    const err = await client.inventory(member, { game: "730" }).catch((e) => e);
    expect(err).toMatchObject({ key: "SDK_INVALID_RESPONSE", code: 0, status: 400 });
    await client.close();
  });

  it("reports every attempt to the onResponse hook", async () => {
    fake.on("GET", TRADES, serverError, ok(tradeWire()));
    const seen: ResponseInfo[] = [];
    const client = clientFor(fake, { onResponse: (info) => seen.push(info) });
    await client.getTrade("dep-1");
    expect(seen.map(({ durationMs: _, ...rest }) => rest)).toEqual([
      { operation: "getTrade", method: "GET", status: 500, attempt: 1 },
      { operation: "getTrade", method: "GET", status: 200, attempt: 2 },
    ]);
    expect(seen.every((s) => Number.isInteger(s.durationMs) && s.durationMs >= 0)).toBe(true);
    await client.close();
  });

  it("sends through an injected dispatcher and leaves it open on close", async () => {
    fake.on("GET", TRADES, ok(tradeWire()));
    const agent = new Agent({ keepAliveTimeout: 1000 });
    const client = clientFor(fake, { dispatcher: agent });
    await client.getTrade("dep-1");
    await client.close();
    expect(agent.closed).toBe(false);
    const again = clientFor(fake, { dispatcher: agent });
    await again.getTrade("dep-1");
    expect(fake.calls("GET", TRADES)).toHaveLength(2);
    await agent.close();
  });

  it("keeps the request path below the base URL's own path", async () => {
    fake.on("GET", "/api/client/inventory", ok(inventoryData()));
    const client = clientFor(fake, { baseUrl: `${fake.url}/api/` });
    await client.inventory(member, { game: "730" });
    expect(fake.calls("GET", "/api/client/inventory")).toHaveLength(1);
    await client.close();
  });
});

describe("secrets", () => {
  it("never puts the api key, secret or token into errors, even when the server echoes them", async () => {
    fake.on("GET", "/client/inventory", (req, res) => {
      const echo = `${req.headers.authorization} ${API_KEY} ${API_SECRET}`;
      return fail(401, { code: 1100, key: "UNAUTHORIZED", message: echo, details: { got: echo } })(req, res);
    });
    fake.on("POST", "/secure/check-tradeurl", destroySocket);
    const client = clientFor(fake, { retry: { attempts: 1 } });
    const token = await client.authenticateClient(member);
    const refused = await client.inventory(member, { game: "730" }).catch((e) => e);
    const dropped = await client.checkTradeUrl(TRADE_URL).catch((e) => e);

    expect(refused.key).toBe("UNAUTHORIZED");
    expect(dropped.key).toBe("SDK_NETWORK");
    for (const err of [refused, dropped]) {
      const text = everythingAbout(err);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(API_SECRET);
      expect(text).not.toContain(token);
    }
    await client.close();
  });

  it("logs each call at debug with operation, status, duration and request id, never headers", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: "debug" }, sink);
    fake.on("GET", "/client/inventory", serverError, ok(inventoryData()));
    const client = clientFor(fake, { logger });
    const token = await client.authenticateClient(member);
    await client.inventory(member, { game: "730" });

    const entries = lines.map((l) => JSON.parse(l));
    const calls = entries.filter((e) => e.operation === "inventory");
    expect(calls).toHaveLength(2);
    const requestId = fake.calls("GET", "/client/inventory")[0]?.headers["x-request-id"];
    for (const entry of calls) {
      expect(entry).toMatchObject({ level: 20, operation: "inventory", requestId, method: "GET" });
      expect(typeof entry.durationMs).toBe("number");
    }
    expect(calls.map((e) => e.status)).toEqual([500, 200]);
    const all = lines.join("\n");
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain(token);
    expect(all.toLowerCase()).not.toContain("authorization");
    await client.close();
  });
});

describe("Retry-After", () => {
  it("reads delay-seconds and HTTP dates", () => {
    const now = Date.parse("2026-05-14T12:00:00.000Z");
    expect(parseRetryAfter("30", now)).toBe(30);
    expect(parseRetryAfter("Thu, 14 May 2026 12:00:45 GMT", now)).toBe(45);
    expect(parseRetryAfter("Thu, 14 May 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
