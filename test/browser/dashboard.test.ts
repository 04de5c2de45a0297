/**
 * The web dashboard in a real browser (headless Chromium), against the real app, the real grammY
 * bot on the fake Telegram API, the AssetPay sandbox and Redis. A moderator gets the sign-in link
 * in their chat with the bot, signs in, watches a member's deposit go from in flight to complete,
 * finds the member by SteamID, exports CSVs whose sums match the ledger; links that are used,
 * expired or not ours are refused, and a moderator removed from the config loses the session.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyv } from "keyv";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSignInLinks } from "../../src/core/dashboard/sign-in.ts";
import { type Member, startWorld, tradeUrl, type World } from "../e2e/support-telegram.ts";

const METRICS_TOKEN = "metrics-token-for-the-browser-test";

import { download, launchBrowser, parseCsv, screenshot } from "./browser.ts";

const MODERATOR_ID = 4_300_000_001;
const PARTNER = 81_234;
/** SteamID64 of `partner` 81234: 76561197960265728 + 81234. */
const STEAM_ID = String(76_561_197_960_265_728n + BigInt(PARTNER));

let clock = Date.UTC(2026, 11, 6, 9, 0, 0);
let world: World;
let browser: Browser;
let moderator: Member;
let depositor: Member;
let page: Page;
const downloads = mkdtempSync(join(tmpdir(), "sb-dashboard-"));

beforeAll(async () => {
  world = await startWorld({
    redisUrl: inject("redisUrl"),
    adminUserIds: [MODERATOR_ID],
    env: { SOLVENCY_SAMPLE_MINUTES: "0", DASHBOARD_LINK_MINUTES: "10", METRICS_TOKEN },
    app: { dashboardNow: () => clock },
  });
  browser = await launchBrowser(downloads);
  moderator = world.member({ id: MODERATOR_ID, first_name: "Mia" });
  depositor = world.member({ first_name: "Dmitri", username: "dmitri" });
  page = await browser.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await world?.close();
  rmSync(downloads, { recursive: true, force: true });
});

const base = () => world.app.core.dashboard.baseUrl();

/** Asks the bot for a link in the private chat and returns the URL it answered with. */
async function linkFromChat(who: Member): Promise<string> {
  const reply = await world.say(who, "/admin dashboard");
  const url = /https?:\/\/\S+/.exec(reply.text ?? "")?.[0];
  if (!url) throw new Error(`no link in: ${reply.text}`);
  return url;
}

/** Opens a sign-in link and presses its button; resolves with the page's final status. */
async function signIn(p: Page, url: string): Promise<number> {
  await p.goto(url);
  const [response] = await Promise.all([p.waitForNavigation(), p.click("#sign-in")]);
  return response?.status() ?? 0;
}

async function deposit(member: Member): Promise<void> {
  let picker = await world.say(member, "/deposit");
  picker = await world.press(member, picker, /^1\. /);
  const receipt = await world.press(member, picker, "Confirm");
  expect(receipt.text).toMatch(/Deposit started/);
}

describe("the dashboard in a browser", () => {
  it("signs a moderator in through the link the bot sends, with a strict, private session", async () => {
    const url = await linkFromChat(moderator);
    expect(url.startsWith(`${base()}/dashboard/sign-in?token=`)).toBe(true);

    // Opening the link (as a chat's link preview would) does not use it up; the button does.
    const opened = await page.goto(url);
    expect(opened?.headers()["content-security-policy"]).toContain("default-src 'none'");
    expect(opened?.headers()["referrer-policy"]).toBe("no-referrer");
    expect(await signIn(page, url)).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("Solvency");

    const [cookie] = await browser.cookies();
    expect(cookie).toMatchObject({
      name: "sb_dashboard",
      httpOnly: true,
      sameSite: "Strict",
      path: "/dashboard",
    });
    expect(cookie?.expires).toBeGreaterThan(0);
    // No third-party requests: every request the page made went to the listener itself.
    const origins = new Set<string>();
    page.on("request", (r) => origins.add(new URL(r.url()).origin));
    await page.reload();
    expect([...origins]).toEqual([new URL(base()).origin]);
    const audit = await world.app.core.dashboard.audit.recent(5);
    expect(audit[0]).toMatchObject({ action: "sign-in", memberId: moderator.memberId });
  });

  it("shows a deposit in flight and then completed", async () => {
    const linked = await world.say(depositor, `/link ${tradeUrl(PARTNER)}`);
    expect(linked.text).toContain(STEAM_ID);
    await deposit(depositor);

    await page.goto(`${base()}/dashboard/trades`);
    const flying = await page.$$eval("#in-flight tr[data-external-id]", (rows) =>
      rows.map((r) => r.textContent ?? ""),
    );
    expect(flying.some((t) => t.includes(depositor.memberId))).toBe(true);

    await world.sandbox.clock.advance(70);
    await world.waitForMessage(depositor.chat.id, /Your deposit offer is ready/);
    await world.sandbox.clock.advance(8 * 86_400);
    await world.waitForMessage(depositor.chat.id, /Deposit complete/);

    await page.goto(`${base()}/dashboard/trades?kind=deposit`);
    expect(await page.$("#in-flight-empty")).not.toBeNull();
    const done = await page.$$eval("#recent tr[data-external-id]", (rows) =>
      rows.map((r) => ({ text: r.textContent ?? "", state: r.getAttribute("data-state") })),
    );
    expect(done).toContainEqual({ text: expect.stringContaining(depositor.memberId), state: "completed" });
    await screenshot(page, "dashboard-trades");

    // Filters narrow the list: no withdrawals were made.
    await page.goto(`${base()}/dashboard/trades?kind=withdraw`);
    expect(await page.$("#recent-empty")).not.toBeNull();
  });

  it("finds the member by SteamID and shows their balance and journal", async () => {
    await page.goto(`${base()}/dashboard/members`);
    await page.type("input[name=q]", STEAM_ID);
    await Promise.all([page.waitForNavigation(), page.click("form.filters button")]);
    const found = await page.$$eval("#members a", (links) => links.map((a) => a.textContent));
    expect(found).toEqual([depositor.memberId]);

    await Promise.all([page.waitForNavigation(), page.click("#members a")]);
    const balance = await world.app.core.ledger.balance(depositor.memberId);
    const body = await page.$eval("main", (m) => m.textContent ?? "");
    expect(body).toContain(world.app.core.i18n.money("en", balance.availableCents));
    expect(body).toContain(STEAM_ID);
    expect(await page.$$("#journal tbody tr")).toHaveLength(
      (await world.app.core.ledger.journal(depositor.memberId)).length,
    );
    const png = await screenshot(page, "dashboard-member");
    expect(Buffer.from(png.slice(1, 4)).toString()).toBe("PNG");
  });

  it("exports CSVs whose sums match the ledger, and records each export", async () => {
    const { ledger } = world.app.core;
    const cents = (v: string) => Math.round(Number(v) * 100);

    // The member page's export button (the page the previous test opened).
    const journal = await download(
      page,
      downloads,
      "#export-journal",
      `journal-${depositor.memberId.replace(":", "-")}.csv`,
    );
    const [header, ...rows] = parseCsv(journal);
    expect(header?.slice(0, 6)).toEqual(["member", "entry", "at", "op", "available_change", "held_change"]);
    const balance = await ledger.balance(depositor.memberId);
    expect(balance.availableCents).toBeGreaterThan(0);
    expect(rows.reduce((s, r) => s + cents(r[4] ?? "0"), 0)).toBe(balance.availableCents);
    expect(rows.reduce((s, r) => s + cents(r[5] ?? "0"), 0)).toBe(balance.heldCents);

    // The whole ledger for today, from the exports page's form.
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${base()}/dashboard/exports`);
    await page.$eval("input[name=from]", (el, v) => ((el as unknown as { value: string }).value = v), today);
    await page.$eval("input[name=to]", (el, v) => ((el as unknown as { value: string }).value = v), today);
    const whole = await download(page, downloads, "#export-ledger", `ledger-${today}-${today}.csv`);
    const [, ...all] = parseCsv(whole);
    const totals = await ledger.totals();
    expect(all.length).toBeGreaterThan(0);
    expect(all.reduce((s, r) => s + cents(r[4] ?? "0"), 0)).toBe(totals.availableCents);
    expect(all.reduce((s, r) => s + cents(r[5] ?? "0"), 0)).toBe(totals.heldCents);

    const bad = await page.goto(`${base()}/dashboard/export/ledger.csv?from=2026-12-09&to=2026-12-01`);
    expect(bad?.status()).toBe(400);

    const exports = (await world.app.core.dashboard.audit.recent(10)).filter((e) => e.action === "export");
    expect(exports.map((e) => e.detail)).toEqual([
      expect.stringMatching(/^ledger /),
      `journal ${depositor.memberId}`,
    ]);
    expect(exports.every((e) => e.memberId === moderator.memberId)).toBe(true);
  });

  it("charts the solvency history and warns when withdrawals are not covered", async () => {
    const { dashboard, ledger } = world.app.core;
    const wallet = await world.app.core.client.walletBalance();
    // Owe members more than the wallet holds: an audited adjustment, as a moderator would make.
    await ledger.adjust({
      key: "test:solvency",
      memberId: depositor.memberId,
      amountCents: wallet.balanceCents + 12_345,
      reason: "test: more than the wallet",
      actor: `admin:${moderator.memberId}`,
    });
    for (let i = 0; i < 6; i++) {
      clock += 5 * 60_000;
      await dashboard.solvency.sample();
    }
    await page.goto(`${base()}/dashboard`);
    const warning = await page.$eval("#not-covered", (p) => p.textContent ?? "");
    const owed = (await ledger.totals()).availableCents + (await ledger.totals()).heldCents;
    expect(warning).toContain(world.app.core.i18n.money("en", owed - wallet.balanceCents));
    expect(await page.$$("svg.chart polyline")).toHaveLength(2);
    const metrics = await (
      await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(new RegExp(`^skinbridge_solvency_gap_cents ${owed - wallet.balanceCents}$`, "m"));
    await screenshot(page, "dashboard-solvency");
  });

  it("opens every page from the navigation, each in the community's language", async () => {
    await page.goto(`${base()}/dashboard`);
    const nav = await page.$$eval("nav a", (links) =>
      links.map((a) => [a.getAttribute("href"), a.textContent]),
    );
    expect(nav.map(([href]) => href)).toEqual([
      "/dashboard",
      "/dashboard/trades",
      "/dashboard/members",
      "/dashboard/notifications",
      "/dashboard/community",
      "/dashboard/exports",
    ]);
    for (const [href, label] of nav) {
      const res = await page.goto(`${base()}${href}`);
      expect(res?.status(), href ?? "").toBe(200);
      expect(await page.$eval("h1", (h) => h.textContent)).toBe(label);
      expect(await page.$eval("html", (h) => h.getAttribute("lang"))).toBe("en");
    }
    await page.goto(`${base()}/dashboard/notifications`);
    expect(await page.$eval("#depth", (d) => d.textContent)).toMatch(/^\d+$/);
    expect(world.app.core.i18n.problems()).toEqual([]);
  });

  it("refuses a used, an expired and a foreign link, and a member who is not a moderator", async () => {
    const other = await browser.createBrowserContext();
    const fresh = await other.newPage();
    try {
      const used = await linkFromChat(moderator);
      expect(await signIn(fresh, used)).toBe(200);
      await fresh.deleteCookie({ name: "sb_dashboard", url: base() });
      expect(await signIn(fresh, used)).toBe(403);
      expect(await fresh.$("#refused")).not.toBeNull();

      const late = await linkFromChat(moderator);
      clock += 11 * 60_000;
      expect(await signIn(fresh, late)).toBe(403);

      // Minted for the same moderator by some other bot (another store): unknown here.
      const elsewhere = createSignInLinks({ kv: new Keyv(), ttlMs: 600_000, now: () => clock });
      const foreign = await elsewhere.mint(moderator.memberId);
      expect(await signIn(fresh, `${base()}/dashboard/sign-in?token=${foreign.token}`)).toBe(403);

      // Without a session every page answers "signed out", and nothing of the data shows.
      const signedOut = await fresh.goto(`${base()}/dashboard/members`);
      expect(signedOut?.status()).toBe(401);
      expect(await fresh.$("#members")).toBeNull();

      const plain = await world.say(depositor, "/admin dashboard");
      expect(plain.text).not.toMatch(/https?:\/\//);

      const refusals = (await world.app.core.dashboard.audit.recent(10)).filter(
        (e) => e.action === "sign-in-refused",
      );
      expect(refusals.map((e) => e.detail)).toEqual(["link unknown", "link expired", "link unknown"]);
    } finally {
      await other.close();
    }
  });

  it("ends a moderator's session as soon as they are no longer listed as a moderator", async () => {
    expect((await page.goto(`${base()}/dashboard/members`))?.status()).toBe(200);
    // The operator removes the moderator and redeploys (same Redis, same API secret).
    const telegram = world.config.telegram;
    if (!telegram) throw new Error("no Telegram config");
    telegram.adminUserIds = [];
    // The moderator's browser is closed over the redeploy and comes back with its cookie (an
    // open browser's speculative, request-less connections would hold the listener's close).
    const cookies = await browser.cookies();
    await browser.close();
    await world.restart();
    browser = await launchBrowser(downloads);
    await browser.setCookie(...cookies);
    page = await browser.newPage();
    const after = await page.goto(`${base()}/dashboard/members`);
    expect(after?.status()).toBe(403);
    expect(await page.$("#members")).toBeNull();
    expect(await page.$eval("#refused", (p) => p.textContent)).toBe(
      world.app.core.i18n.t("en", "dashboard.signIn.notModerator"),
    );
  });
});
