/**
 * The Steam sign-in step of /link: a button that opens the sign-in in a browser, and one the
 * member presses back in the chat once Steam has confirmed it.
 */
import type { SteamLink } from "../../core/accounts.ts";
import { ACTIONS } from "../action-id.ts";
import type { I18n, Locale } from "../i18n.ts";
import { message, text, type View } from "../view.ts";

export function signInView(
  i18n: I18n,
  locale: Locale,
  steamId: string,
  signIn: { id: string; url: string },
): View {
  return message("info", i18n.t(locale, "link.signinPrompt", { steamId }), {
    ephemeral: true,
    buttons: [
      [{ url: signIn.url, label: i18n.t(locale, "link.signinButton") }],
      [
        {
          action: { action: ACTIONS.signedIn, session: signIn.id },
          label: i18n.t(locale, "link.signinDone"),
          style: "primary",
        },
      ],
    ],
  });
}

/** A link made without proof, with the offer to prove it (STEAM_SIGNIN=optional). */
export function provableLinkView(
  view: View,
  i18n: I18n,
  locale: Locale,
  link: SteamLink,
  signIn: { id: string; url: string },
): View {
  const offer = signInView(i18n, locale, link.steamId, signIn);
  return {
    ...view,
    blocks: [...view.blocks, text(i18n.t(locale, "link.signinOptional"))],
    buttons: [...view.buttons, ...offer.buttons],
  };
}

/** This chat identity now shares the wallet of the same person on another platform. */
export function joinedView(i18n: I18n, locale: Locale, movedCents: number): View {
  return message("success", i18n.t(locale, "link.joined", { moved: i18n.money(locale, movedCents) }), {
    ephemeral: true,
  });
}

/** The one-time code to enter on the other platform; a secret, so only this member sees it. */
export function joinCodeView(i18n: I18n, locale: Locale, code: string): View {
  return message("info", i18n.t(locale, "join.code", { code }), { ephemeral: true });
}
