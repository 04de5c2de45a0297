/**
 * The relying-party side of Steam's OpenID 2.0 sign-in: the URL that sends a browser to Steam,
 * and the verification of what Steam sends back. Steam is the only provider, at a fixed endpoint
 * (`<base>/login`, claimed ids `<base>/id/<SteamID64>`), so there is no discovery step, and the
 * assertion is verified "stateless" (direct verification, `check_authentication`), which is
 * what Steam supports.
 *
 * Hand-written rather than the `openid` npm package (the one under passport-steam): that package
 * does Yadis discovery on every verification and keeps used nonces in the process, so with two
 * instances a replayed assertion would pass on the other one. The checks here follow OpenID 2.0
 * §11 (return_to, signed fields, nonce, direct verification); remembering nonces is the caller's,
 * in the shared store.
 */
import { request } from "undici";

export const OPENID_NS = "http://specs.openid.net/auth/2.0";
const IDENTIFIER_SELECT = "http://specs.openid.net/auth/2.0/identifier_select";

/** Fields the provider must have signed, or an attacker could swap them. */
const MUST_SIGN = ["op_endpoint", "claimed_id", "identity", "return_to", "response_nonce", "assoc_handle"];

export type OpenIdRefusal = "invalid" | "cancelled" | "expired" | "rejected";

export class OpenIdError extends Error {
  constructor(
    readonly reason: OpenIdRefusal,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = "OpenIdError";
  }
}

export interface Assertion {
  steamId: string;
  /** `openid.response_nonce`: unique per assertion; the caller remembers it to refuse a replay. */
  nonce: string;
  issuedAt: number;
}

export interface SteamOpenId {
  /** Where to send the browser: Steam's login page, coming back to `returnTo`. */
  loginUrl(returnTo: string, realm: string): string;
  /**
   * Checks an answer that arrived at `returnTo` and asks Steam whether it really sent it.
   * Throws OpenIdError; never answers a SteamID it could not verify.
   */
  verify(
    query: URLSearchParams,
    returnTo: string,
    opts: { now: number; maxAgeMs: number },
  ): Promise<Assertion>;
}

export function createSteamOpenId(opts: { baseUrl: string; timeoutMs?: number }): SteamOpenId {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const endpoint = `${base}/login`;
  const claimedPrefix = `${base}/id/`;
  const timeoutMs = opts.timeoutMs ?? 10_000;

  const checkWithSteam = async (query: URLSearchParams): Promise<boolean> => {
    const body = new URLSearchParams();
    for (const [key, value] of query) if (key.startsWith("openid.")) body.set(key, value);
    body.set("openid.mode", "check_authentication");
    const res = await request(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return false;
    // Key-value form: `key:value` lines.
    return text.split("\n").some((line) => line.trim() === "is_valid:true");
  };

  return {
    loginUrl(returnTo, realm) {
      const params = new URLSearchParams({
        "openid.ns": OPENID_NS,
        "openid.mode": "checkid_setup",
        "openid.return_to": returnTo,
        "openid.realm": realm,
        "openid.identity": IDENTIFIER_SELECT,
        "openid.claimed_id": IDENTIFIER_SELECT,
      });
      return `${endpoint}?${params.toString()}`;
    },
    async verify(query, returnTo, { now, maxAgeMs }) {
      const get = (field: string) => query.get(`openid.${field}`) ?? "";
      if (get("mode") === "cancel") throw new OpenIdError("cancelled", "the member cancelled at Steam");
      if (get("ns") !== OPENID_NS || get("mode") !== "id_res")
        throw new OpenIdError("invalid", "not an assertion");
      if (get("op_endpoint") !== endpoint) throw new OpenIdError("invalid", "another provider");
      if (get("return_to") !== returnTo) throw new OpenIdError("invalid", "return_to differs");
      const signed = get("signed").split(",");
      if (!MUST_SIGN.every((f) => signed.includes(f)))
        throw new OpenIdError("invalid", "fields left unsigned");
      const claimed = get("claimed_id");
      if (claimed !== get("identity") || !claimed.startsWith(claimedPrefix))
        throw new OpenIdError("invalid", "claimed id");
      const steamId = claimed.slice(claimedPrefix.length);
      if (!/^7656\d{13}$/.test(steamId)) throw new OpenIdError("invalid", "not a SteamID64");
      const nonce = get("response_nonce");
      const stamp = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)./.exec(nonce);
      const issuedAt = stamp ? Date.parse(stamp[1] as string) : Number.NaN;
      if (Number.isNaN(issuedAt)) throw new OpenIdError("invalid", "nonce");
      if (now - issuedAt > maxAgeMs || issuedAt - now > 60_000)
        throw new OpenIdError("expired", "nonce too old");
      if (!(await checkWithSteam(query)))
        throw new OpenIdError("rejected", "Steam did not confirm the assertion");
      return { steamId, nonce, issuedAt };
    },
  };
}
