/**
 * Steam's OpenID 2.0 provider, emulated: `GET /steam/openid/login` is the login page (a form with
 * the SteamID to sign in as), `POST` of that form answers with a signed assertion (a redirect to
 * the relying party's return_to), and `POST` with `openid.mode=check_authentication` verifies one
 * the way Steam does: signature over the signed fields, and each nonce confirmed once, so a
 * tampered or replayed assertion is answered `is_valid:false`. Point the bot's STEAM_OPENID_URL
 * at `<sandbox>/steam/openid`.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const NS = "http://specs.openid.net/auth/2.0";
const SIGNED = [
  "signed",
  "op_endpoint",
  "claimed_id",
  "identity",
  "return_to",
  "response_nonce",
  "assoc_handle",
];
export const OPENID_PREFIX = "/steam/openid";

export interface SteamOpenIdProvider {
  handle(req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<void>;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function loginPage(query: URLSearchParams, action: string): string {
  const returnTo = query.get("openid.return_to") ?? "";
  const realm = query.get("openid.realm") ?? "";
  const steamId = query.get("steamid") ?? "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in through Steam (sandbox)</title></head>
<body>
<h1>Sign in through Steam (sandbox)</h1>
<p>${escapeHtml(realm)} wants to know which Steam account is yours.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="openid.return_to" value="${escapeHtml(returnTo)}">
<input type="hidden" name="openid.realm" value="${escapeHtml(realm)}">
<label>SteamID64 <input name="steamid" value="${escapeHtml(steamId)}" pattern="7656\\d{13}" required></label>
<button type="submit" name="action" value="signin">Sign in</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>
</body></html>`;
}

export function createSteamOpenIdProvider(opts: { now?: () => number } = {}): SteamOpenIdProvider {
  const key = randomBytes(32);
  const confirmed = new Set<string>();
  const now = opts.now ?? Date.now;

  const sign = (fields: URLSearchParams, signed: string[]) => {
    const kv = signed.map((f) => `${f}:${fields.get(`openid.${f}`) ?? ""}\n`).join("");
    return createHmac("sha256", key).update(kv).digest("base64");
  };

  const assertion = (endpoint: string, origin: string, form: URLSearchParams): string => {
    const returnTo = form.get("openid.return_to") ?? "";
    if (!URL.canParse(returnTo)) throw new Error("return_to is not a URL");
    const target = new URL(returnTo);
    if (form.get("action") === "cancel") {
      target.searchParams.set("openid.ns", NS);
      target.searchParams.set("openid.mode", "cancel");
      return target.toString();
    }
    const steamId = form.get("steamid") ?? "";
    if (!/^7656\d{13}$/.test(steamId)) throw new Error("not a SteamID64");
    const claimed = `${origin}${OPENID_PREFIX}/id/${steamId}`;
    const stamp = new Date(now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const fields = new URLSearchParams({
      "openid.ns": NS,
      "openid.mode": "id_res",
      "openid.op_endpoint": endpoint,
      "openid.claimed_id": claimed,
      "openid.identity": claimed,
      "openid.return_to": returnTo,
      "openid.response_nonce": `${stamp}${randomBytes(8).toString("hex")}`,
      "openid.assoc_handle": "1234567890",
      "openid.signed": SIGNED.slice(1).join(","),
    });
    fields.set("openid.sig", sign(fields, SIGNED.slice(1)));
    for (const [k, v] of fields) target.searchParams.set(k, v);
    return target.toString();
  };

  const checkAuthentication = (form: URLSearchParams): boolean => {
    const signed = (form.get("openid.signed") ?? "").split(",").filter(Boolean);
    const given = Buffer.from(form.get("openid.sig") ?? "", "base64");
    const expected = Buffer.from(sign(form, signed), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    const nonce = form.get("openid.response_nonce") ?? "";
    if (!signed.includes("response_nonce") || confirmed.has(nonce)) return false;
    confirmed.add(nonce);
    return true;
  };

  return {
    async handle(req, res, url, origin) {
      const endpoint = `${origin}${OPENID_PREFIX}/login`;
      if (url.pathname !== `${OPENID_PREFIX}/login`) return send(res, 404, "text/plain", "not found");
      if (req.method === "GET")
        return send(res, 200, "text/html; charset=utf-8", loginPage(url.searchParams, endpoint));
      const form = await readForm(req);
      if (form.get("openid.mode") === "check_authentication") {
        const valid = checkAuthentication(form);
        return send(
          res,
          200,
          "text/plain; charset=utf-8",
          `ns:${NS}\nis_valid:${valid ? "true" : "false"}\n`,
        );
      }
      try {
        return send(res, 302, "text/plain", "", { location: assertion(endpoint, origin, form) });
      } catch (err) {
        return send(res, 400, "text/plain", (err as Error).message);
      }
    },
  };
}
