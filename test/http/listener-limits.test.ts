/**
 * The listener under a slow-connection attack, on loopback and bounded: hundreds of
 * connections that send their headers and a `Content-Length: 100000` body they never finish,
 * against a connection cap of 100. Signed callbacks sent meanwhile are still answered (the cap
 * evicts the oldest unanswered connection instead of refusing newcomers), the slow clients are
 * cut off by the header and request deadlines, and none of it is logged above debug.
 */
import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import { Writable } from "node:stream";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpListener, type HttpListener } from "../../src/http/server.ts";
import { createLogger } from "../../src/log.ts";
import { postSignedCallback, startTestApp, type TestApp, testConfig } from "../support/app-harness.ts";
import { depositCallback } from "../support/deposit-fixtures.ts";

const SLOW_HEAD =
  "POST /assetpay/callback HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n" +
  'content-length: 100000\r\nx-assetpay-signature: t=1,id=1,s=00\r\n\r\n{"pad":"';

function open(port: number, first: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.write(first);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

/** Everything the server sent before closing the connection. */
function answerBeforeClose(socket: Socket): Promise<string> {
  let text = "";
  socket.on("data", (d: Buffer) => (text += d.toString()));
  socket.on("error", () => {});
  return new Promise((resolve) => socket.once("close", () => resolve(text)));
}

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n")) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "debug", destination, format: "json" }) };
}

const sockets: Socket[] = [];
let app: TestApp | undefined;
let listener: HttpListener | undefined;
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  await listener?.close();
  app = undefined;
  listener = undefined;
});

describe("a slow-connection flood", () => {
  it("does not starve signed callbacks: 300 slow connections against a cap of 100", async () => {
    const { lines, logger } = captureLogs();
    app = await startTestApp(testConfig({ HTTP_MAX_CONNECTIONS: "100" }), { overrides: { logger } });
    const port = Number(new URL(app.url).port);
    for (let i = 0; i < 300; i++) {
      const s = await open(port, SLOW_HEAD);
      s.on("error", () => {});
      sockets.push(s);
    }
    const answers = [];
    for (let i = 0; i < 20; i++) {
      // An unknown trade: signature verified, trade looked up in the store, verdict given.
      const body = depositCallback(
        { id: randomUUID(), externalId: "sb-de-unknown", itemId: "i" },
        "completed",
        100,
      );
      answers.push(await postSignedCallback(app.callbackUrl, body));
    }
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(404));
    expect(answers[0]?.body).toEqual({ error: "unknown_trade" });
    // The flood evicted itself: never more than the cap open at once.
    const stillOpen = sockets.filter((s) => !s.destroyed && s.readyState === "open").length;
    expect(stillOpen).toBeLessThanOrEqual(100);
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(lines.some((l) => l.msg === "oldest unanswered connection closed to admit a new one")).toBe(true);
  }, 60_000);

  it("the cap refuses a newcomer only when every connection is being answered", async () => {
    const { logger } = captureLogs();
    listener = createHttpListener({ logger, maxConnections: 16 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    listener.route("GET", "/slow", async () => {
      await gate;
      return { status: 200, body: { ok: true } };
    });
    const { port } = await listener.listen(0, "127.0.0.1");
    const busy = Array.from({ length: 16 }, () => request(`http://127.0.0.1:${port}/slow`, { reset: true }));
    await new Promise<void>((resolve) => {
      const check = () => (listener!.inFlight() === 16 ? resolve() : setImmediate(check));
      check();
    });
    const refused = await open(port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await answerBeforeClose(refused)).toBe("");
    release();
    expect((await Promise.all(busy)).map((r) => r.statusCode)).toEqual(Array(16).fill(200));
  });
});

describe("deadlines", () => {
  it("closes a connection whose headers do not arrive within the header deadline, with 408", async () => {
    const { lines, logger } = captureLogs();
    listener = createHttpListener({ logger, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const { port } = await listener.listen(0, "127.0.0.1");
    const s = await open(port, "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    expect(await answerBeforeClose(s)).toMatch(/^HTTP\/1\.1 408 /);
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
  });

  it("closes a request whose body does not arrive within the request deadline, logged at debug without a stack", async () => {
    const { lines, logger } = captureLogs();
    listener = createHttpListener({ logger, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    listener.route("POST", "/assetpay/callback", async () => ({ status: 200 }));
    const { port } = await listener.listen(0, "127.0.0.1");
    const s = await open(port, SLOW_HEAD);
    await answerBeforeClose(s);
    await new Promise<void>((resolve) => {
      const check = () => (listener!.inFlight() === 0 ? resolve() : setImmediate(check));
      check();
    });
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
    const gone = lines.filter((l) => l.level === 20 && l.msg === "client went away mid-request");
    expect(gone).toHaveLength(1);
    expect(gone[0]).not.toHaveProperty("err");
  });

  it("a client hanging up mid-body is logged at debug, without a stack", async () => {
    const { lines, logger } = captureLogs();
    listener = createHttpListener({ logger });
    listener.route("POST", "/assetpay/callback", async () => ({ status: 200 }));
    const { port } = await listener.listen(0, "127.0.0.1");
    const s = await open(port, SLOW_HEAD);
    await new Promise<void>((resolve) => {
      const check = () => (listener!.inFlight() === 1 ? resolve() : setImmediate(check));
      check();
    });
    s.destroy();
    await new Promise<void>((resolve) => {
      const check = () => (listener!.inFlight() === 0 ? resolve() : setImmediate(check));
      check();
    });
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
    expect(lines.find((l) => l.msg === "client went away mid-request")).toMatchObject({ level: 20 });
  });
});
