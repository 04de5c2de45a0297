/**
 * Proving a Steam account by signing in through Steam (OpenID 2.0), so a trade URL someone
 * posted publicly cannot be linked by anyone but its owner.
 *
 * 1. `/link <trade URL>` calls `start`: a sign-in state bound to the chat identity and the trade
 *    URL's account, stored for 10 minutes; its token (`<id>.<HMAC>`) goes in the button's URL.
 * 2. The browser opens the bot's listener (`redirect`), which sends it to Steam with a return_to
 *    naming the state.
 * 3. Steam sends the browser back; `complete` checks the assertion (return_to, signed fields,
 *    age, then Steam's own `check_authentication`), refuses a nonce already used (remembered in
 *    the shared store, so a replay fails on every instance), and records the proven SteamID on
 *    the state when it is the trade URL's account.
 * 4. The member presses "I've signed in" in the chat: `confirm` links only for the chat identity
 *    that started the sign-in, once (the state is deleted by whoever deletes it first).
 * Nothing is linked before step 4, so a sign-in finished in someone else's browser still needs
 * the chat identity that asked for it.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Accounts, SteamLink } from "./accounts.ts";
import { CoreError } from "./errors.ts";
import type { Identities } from "./identities.ts";
import { type AtomicKV, getAs, type KV } from "./kv.ts";
import type { MemberId } from "./ledger.ts";
import { parseMemberId } from "./members.ts";
import { parseTradeUrl } from "./steam.ts";

export type SignInPolicy = "required" | "optional" | "off";

/** Why a return from Steam proved nothing; each has its own page text. */
export type SignInFailure = "invalid" | "cancelled" | "expired" | "replayed" | "mismatch";

export interface SignInState {
  memberId: MemberId;
  tradeUrl: string;
  /** The trade URL's account: the one the member must sign in as. */
  steamId: string;
  locale: string;
  expiresAt: number;
  provenSteamId?: string;
}

export interface SignInRefusal {
  ok: false;
  failure: SignInFailure;
  locale?: string;
  /** For `mismatch`: the account signed in as, and the trade URL's. */
  signedIn?: string;
  steamId?: string;
}

export type SignInOutcome = { ok: true; steamId: string; locale: string } | SignInRefusal;

/** The OpenID relying party, as the core needs it (src/steam/openid.ts implements it). */
export interface OpenIdVerifier {
  loginUrl(returnTo: string, realm: string): string;
  verify(
    query: URLSearchParams,
    returnTo: string,
    opts: { now: number; maxAgeMs: number },
  ): Promise<{ steamId: string; nonce: string }>;
}

export interface SteamSignIn {
  readonly policy: SignInPolicy;
  start(memberId: MemberId, tradeUrl: string, locale: string): Promise<{ id: string; url: string }>;
  /** Where the listener sends a browser that opened a sign-in button: Steam, or undefined for a dead state. */
  redirect(token: string): Promise<string | undefined>;
  complete(token: string, query: URLSearchParams): Promise<SignInOutcome>;
  /**
   * Links the proven account; or, when the same person already proved it from another platform,
   * joins this chat identity to that wallet (`joined`) instead.
   */
  confirm(
    id: string,
    memberId: MemberId,
  ): Promise<{ link: SteamLink; joined?: { wallet: MemberId; movedCents: number } }>;
}

const PLATFORMS = ["discord", "telegram", "console"] as const;

export const SIGNIN_PATHS = { start: "/steam/signin", back: "/steam/return" } as const;
const STATE_TTL_MS = 10 * 60_000;
/** How old an assertion may be when it arrives (Steam signs it the moment the member signs in). */
const ASSERTION_MAX_AGE_MS = 5 * 60_000;

export function createSteamSignIn(deps: {
  policy: SignInPolicy;
  publicUrl: string;
  /** Signs state tokens; derived from a configured secret, never stored. */
  key: Buffer;
  kv: KV;
  /** Compare-and-swap over `kv`'s namespace: remembers used nonces. */
  once: AtomicKV;
  openid: OpenIdVerifier;
  accounts: Accounts;
  identities?: Identities;
  now?: () => number;
}): SteamSignIn {
  const { kv, once, openid, accounts } = deps;
  const now = deps.now ?? Date.now;
  const base = deps.publicUrl.replace(/\/+$/, "");
  const stateKey = (id: string) => `signin:${id}`;
  const mac = (id: string, s: Pick<SignInState, "memberId" | "expiresAt">) =>
    createHmac("sha256", deps.key)
      .update(`${id}|${s.memberId}|${s.expiresAt}`)
      .digest("base64url")
      .slice(0, 32);
  const returnTo = (token: string) => `${base}${SIGNIN_PATHS.back}?state=${encodeURIComponent(token)}`;

  /** The live state a token names, or undefined when it is unknown, forged or expired. */
  const open = async (token: string): Promise<{ id: string; state: SignInState } | undefined> => {
    const [id, sig] = token.split(".");
    if (!id || !sig) return undefined;
    const state = await getAs<SignInState>(kv, stateKey(id));
    if (!state || state.expiresAt <= now()) return undefined;
    const want = Buffer.from(mac(id, state));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    return { id, state };
  };

  /** A proven link of the same Steam account held on another platform: the same person's wallet. */
  const provenElsewhere = async (memberId: MemberId, steamId: string): Promise<SteamLink | undefined> => {
    const mine = parseMemberId(memberId)?.platform;
    for (const platform of PLATFORMS.filter((p) => p !== mine)) {
      const owner = await accounts.ownerOf(platform, steamId);
      const link = owner === undefined ? undefined : await accounts.get(owner);
      if (link?.provenAt) return link;
    }
    return undefined;
  };

  return {
    policy: deps.policy,
    async start(memberId, tradeUrl, locale) {
      const parsed = parseTradeUrl(tradeUrl);
      if (!parsed) throw new CoreError("invalidTradeUrl");
      const id = randomBytes(16).toString("base64url");
      const state: SignInState = {
        memberId,
        tradeUrl: parsed.url,
        steamId: parsed.steamId,
        locale,
        expiresAt: now() + STATE_TTL_MS,
      };
      await kv.set(stateKey(id), state, STATE_TTL_MS);
      const token = `${id}.${mac(id, state)}`;
      return { id, url: `${base}${SIGNIN_PATHS.start}?state=${encodeURIComponent(token)}` };
    },
    async redirect(token) {
      if (!(await open(token))) return undefined;
      return openid.loginUrl(returnTo(token), `${base}/`);
    },
    async complete(token, query) {
      const found = await open(token);
      if (!found) return { ok: false, failure: "expired" };
      const { id, state } = found;
      const refuse = (failure: SignInFailure, extra: Partial<SignInRefusal> = {}): SignInRefusal => ({
        ok: false,
        failure,
        locale: state.locale,
        ...extra,
      });
      // A nonce seen before is a replay, whatever Steam would answer about it now.
      const nonceKey = (nonce: string) => `openid-nonce:${nonce}`;
      if ((await once.get(nonceKey(query.get("openid.response_nonce") ?? ""))) !== undefined)
        return refuse("replayed");
      let assertion: { steamId: string; nonce: string };
      try {
        assertion = await openid.verify(query, returnTo(token), {
          now: now(),
          maxAgeMs: ASSERTION_MAX_AGE_MS,
        });
      } catch (err) {
        const reason = (err as { reason?: string }).reason;
        if (reason === "cancelled" || reason === "expired") return refuse(reason);
        if (reason === "invalid" || reason === "rejected") return refuse("invalid");
        throw err;
      }
      // Each assertion proves one sign-in: a second arrival of the same nonce is a replay.
      if (
        !(await once.compareAndSwap(
          `openid-nonce:${assertion.nonce}`,
          undefined,
          id,
          ASSERTION_MAX_AGE_MS * 2,
        ))
      )
        return refuse("replayed");
      if (assertion.steamId !== state.steamId)
        return refuse("mismatch", { signedIn: assertion.steamId, steamId: state.steamId });
      const remaining = state.expiresAt - now();
      if (remaining <= 0) return refuse("expired");
      await kv.set(stateKey(id), { ...state, provenSteamId: assertion.steamId }, remaining);
      return { ok: true, steamId: assertion.steamId, locale: state.locale };
    },
    async confirm(id, memberId) {
      const state = await getAs<SignInState>(kv, stateKey(id));
      if (!state || state.expiresAt <= now()) throw new CoreError("signinExpired");
      if (state.memberId !== memberId) throw new CoreError("signinNotYours");
      if (state.provenSteamId !== state.steamId) throw new CoreError("signinPending");
      // Single use: of two presses (or two instances), only the one that deletes the state links.
      if ((await kv.delete(stateKey(id))) !== true) throw new CoreError("signinExpired");
      const elsewhere = await provenElsewhere(memberId, state.steamId);
      if (elsewhere && deps.identities) {
        const joined = await deps.identities.join(memberId, elsewhere.memberId, memberId);
        return { link: elsewhere, joined };
      }
      return { link: await accounts.link(memberId, state.tradeUrl, { proven: true }) };
    },
  };
}

/** The key that signs sign-in states, derived from a configured secret. */
export function signInKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("skinbridge steam sign-in state").digest();
}
