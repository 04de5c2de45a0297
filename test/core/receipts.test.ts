/** Where receipt cards are: Telegram's for the trade's life, Discord's only while the token lives. */
import { Keyv } from "keyv";
import { describe, expect, it } from "vitest";
import { createReceipts, INTERACTION_TOKEN_TTL_MS } from "../../src/core/receipts.ts";

describe("receipt cards", () => {
  it("forgets a Discord card when its interaction token's 15 minutes are over, on the injected clock", async () => {
    let now = 1_000_000;
    const receipts = createReceipts(new Keyv(), () => now);
    await receipts.remember("t-1", { platform: "discord", applicationId: "1", token: "tok" });
    now += INTERACTION_TOKEN_TTL_MS - 1;
    expect(await receipts.find("t-1")).toMatchObject({ platform: "discord", token: "tok" });
    now += 1;
    expect(await receipts.find("t-1")).toBeUndefined();
  });

  it("keeps a Telegram card past those 15 minutes", async () => {
    let now = 1_000_000;
    const receipts = createReceipts(new Keyv(), () => now);
    await receipts.remember("t-2", { platform: "telegram", chatId: 7, messageId: 42 });
    now += 7 * 86_400_000;
    expect(await receipts.find("t-2")).toEqual({ platform: "telegram", chatId: 7, messageId: 42 });
    expect(await receipts.find("unknown")).toBeUndefined();
  });
});
