/**
 * What a browser does with a Steam sign-in button when Steam is the sandbox: follow the bot's
 * redirect to the sandbox's login page, submit it for a chosen SteamID, and answer the URL Steam
 * sends the browser back to. Used by the demo (one keypress signs in as the demo account) and by
 * tests, which may tamper with or replay that URL before opening it.
 */
import { request } from "undici";

async function get(url: string): Promise<{ status: number; location?: string; body: string }> {
  const res = await request(url);
  const body = await res.body.text();
  const location = res.headers.location;
  return { status: res.statusCode, body, ...(typeof location === "string" ? { location } : {}) };
}

export async function signInAtSandboxSteam(buttonUrl: string, steamId: string): Promise<string> {
  const toSteam = await get(buttonUrl);
  if (toSteam.status !== 302 || !toSteam.location)
    throw new Error(`no redirect to Steam (${toSteam.status})`);
  const login = await get(toSteam.location);
  if (login.status !== 200 || !login.body.includes("<form")) throw new Error("no Steam login form");
  const loginUrl = new URL(toSteam.location);
  const form = new URLSearchParams({
    "openid.return_to": loginUrl.searchParams.get("openid.return_to") ?? "",
    "openid.realm": loginUrl.searchParams.get("openid.realm") ?? "",
    steamid: steamId,
    action: "signin",
  });
  const answer = await request(`${loginUrl.origin}${loginUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  await answer.body.dump();
  const back = answer.headers.location;
  if (answer.statusCode !== 302 || typeof back !== "string")
    throw new Error("Steam did not send the browser back");
  return back;
}

/** Opens the page Steam sent the browser back to; answers its status and what it says. */
export async function openReturnPage(
  url: string,
): Promise<{ status: number; html: string; outcome: string }> {
  const res = await get(url);
  const match = /<p id="outcome">([^<]*)<\/p>/.exec(res.body);
  const outcome = (match?.[1] ?? "")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return { status: res.status, html: res.body, outcome };
}
