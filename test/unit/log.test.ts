import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactUrl } from "../../src/log.ts";

const BOT_TOKEN = "7012345678:AAHk9sR2-xYzQ_wErTyUiOpAsDfGhJkLzXc";

/** A logger writing into memory, and what it wrote so far. */
function capture(secrets: string[] = []) {
  let written = "";
  const destination = new Writable({
    write(chunk, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  const log = createLogger({ level: "trace", name: "test", destination, secrets });
  return { log, output: () => written };
}

describe("createLogger", () => {
  it("never writes a secret found under a secret-named field, at any depth we log", () => {
    const { log, output } = capture();
    const shapes: [string, object][] = [
      ["S01", { apiKey: "S01" }],
      ["S02", { apiSecret: "S02" }],
      ["S03", { assetpay: { apiKey: "S03", apiSecret: "S03" } }],
      ["S04", { config: { assetpay: { apiKey: "S04", previousApiSecret: "S04" } } }],
      ["S05", { config: { discord: { token: "S05" }, telegram: { token: "S05", webhookSecret: "S05" } } }],
      ["S06", { token: "S06" }],
      ["S07", { member: { token: "S07" } }],
      ["S08", { secret: "S08" }],
      ["S09", { callback: { secret: "S09" } }],
      ["S10", { botToken: "S10" }],
      ["S11", { password: "S11" }],
      ["S12", { headers: { "api-key": "S12", authorization: "Bearer S12" } }],
      ["S13", { req: { headers: { "api-key": "S13", authorization: "Bearer S13" } } }],
      ["S14", { res: { req: { headers: { authorization: "Bearer S14", "api-key": "S14" } } } }],
      ["S15", { request: { headers: { "x-telegram-bot-api-secret-token": "S15", cookie: "sid=S15" } } }],
      ["S16", { client: { clientToken: "S16" } }],
      ["S17", { a: { b: { c: { apiKey: "S17" } } } }],
    ];
    for (const [, obj] of shapes) log.info(obj, "event");
    log.child({ apiSecret: "S18" }).info("from a child logger");

    const text = output();
    expect(text.trim().split("\n")).toHaveLength(shapes.length + 1);
    for (const [marker] of shapes) expect(text).not.toContain(marker);
    expect(text).not.toContain("S18");
    expect(text).toContain('"apiKey":"[Redacted]"');
  });

  it("scrubs configured secret values and bot tokens from messages, errors and URLs", () => {
    const apiKey = "ak_live_9f8e7d6c5b4a3210";
    const quoted = 'se"cret\\value-123';
    const { log, output } = capture([apiKey, quoted]);

    log.error(
      { err: new Error(`request failed for https://api.telegram.org/bot${BOT_TOKEN}/getUpdates`) },
      "boom",
    );
    log.warn(`AssetPay refused key ${apiKey}`);
    log.info({ note: `rotating to ${quoted}` }, "rotation");
    log.info({ url: `https://example.test/cb?token=abc123def&key=zz9&page=2` }, "callback url");
    log.info({ raw: `token ${BOT_TOKEN} seen in a string` }, "raw token");

    const text = output();
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain("AAHk9sR2");
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain('se\\"cret');
    expect(text).not.toContain("abc123def");
    expect(text).not.toContain("zz9");
    expect(text).toContain("page=2");
    expect(text).toContain("AssetPay refused key [Redacted]");
  });

  it("keeps everything that is not a secret", () => {
    const { log, output } = capture(["some-secret-value"]);
    log.info({ platform: "telegram", userId: "42", tradeId: "t-1", amountCents: 1075 }, "credited");
    const line = JSON.parse(output());
    expect(line).toMatchObject({
      name: "test",
      msg: "credited",
      platform: "telegram",
      userId: "42",
      tradeId: "t-1",
      amountCents: 1075,
    });
  });

  it("honours the level", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "warn", destination: { write: (s: string) => lines.push(s) } });
    log.info("quiet");
    log.warn("loud");
    expect(lines.join("")).not.toContain("quiet");
    expect(lines.join("")).toContain("loud");
  });
});

describe("redactUrl", () => {
  it("hides a Telegram bot token in Bot API and file paths", () => {
    expect(redactUrl(`https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`)).toBe(
      "https://api.telegram.org/bot[Redacted]/sendMessage",
    );
    expect(redactUrl(new URL(`http://127.0.0.1:9000/file/bot${BOT_TOKEN}/photos/1.jpg`))).toBe(
      "http://127.0.0.1:9000/file/bot[Redacted]/photos/1.jpg",
    );
  });

  it("hides token and key query values and URL credentials, leaving the rest", () => {
    expect(redactUrl("https://x.test/a?token=t0k&key=k3y&api_key=a1&q=skins#frag")).toBe(
      "https://x.test/a?token=[Redacted]&key=[Redacted]&api_key=[Redacted]&q=skins#frag",
    );
    expect(redactUrl("redis://default:hunter22@redis.internal:6379/0")).toBe(
      "redis://[Redacted]@redis.internal:6379/0",
    );
  });

  it("leaves a URL without credentials unchanged", () => {
    const plain = "https://steamcommunity.com/tradeoffer/123456789/";
    expect(redactUrl(plain)).toBe(plain);
    expect(redactUrl("https://example.test/bottles/1")).toBe("https://example.test/bottles/1");
  });
});

describe("LOG_FORMAT=pretty", () => {
  it("writes readable lines, still without secrets", () => {
    let text = "";
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    const secret = "sk_live_very_secret_value";
    const logger = createLogger({ level: "info", format: "pretty", destination, secrets: [secret] });
    logger.info({ apiSecret: secret, tradeId: "t-1", note: `bad ${secret}` }, `deposit credited ${secret}`);
    expect(text).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: deposit credited \[Redacted\]\n/);
    expect(text).toContain('tradeId: "t-1"');
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/^\{/);
  });
});
