/**
 * What a button or select carries back when pressed: `1:action:session[:arg]`. Only a reference,
 * never state (that lives in the store under `session`), because the id must fit both Discord's
 * custom_id (≤100 characters) and Telegram's callback_data (≤64 bytes), and a button pressed after
 * a deploy must still be understood or cleanly refused: the leading version does that.
 */
import { randomBytes } from "node:crypto";

export const ACTION_ID_VERSION = "1";
export const MAX_CUSTOM_ID_CHARS = 100;
export const MAX_CALLBACK_DATA_BYTES = 64;

export interface ActionRef {
  /** What to do, e.g. `pick.toggle`: lower-case letters, digits, `.`, `_`, `-`. */
  action: string;
  /** The stored session the press belongs to (a picker, a confirmation): letters, digits, `_`, `-`. */
  session: string;
  /**
   * A short argument, e.g. a page number or the index of an item on the page. Keep it short: the
   * 64-byte budget rules out AssetPay ids (a listing UUID alone is 36 bytes). May contain `:`.
   */
  arg?: string;
}

/**
 * The actions the core's sessions answer to. Short on purpose: every byte of the name is taken
 * from the budget the session id and argument share.
 */
export const ACTIONS = {
  pickToggle: "pick.toggle",
  pickSelect: "pick.select",
  pickPage: "pick.page",
  pickConfirm: "pick.confirm",
  pickCancel: "pick.cancel",
  pickRefresh: "pick.refresh",
  pickQuantity: "pick.qty",
  pickClear: "pick.clear",
  confirm: "confirm",
  cancel: "cancel",
  language: "language",
  withdrawItem: "wd.item",
  tradesPage: "trades.page",
  tradesCancel: "trades.cancel",
  inboxPage: "inbox.page",
  signedIn: "signin.done",
  auditPage: "audit.page",
} as const;

const ACTION = /^[a-z][a-z0-9._-]*$/;
const SESSION = /^[A-Za-z0-9_-]+$/;
// Control characters never survive every platform's round trip; anything else printable may.
const ARG = /^[^\u0000-\u001f\u007f]+$/;

export class ActionIdError extends Error {
  override readonly name = "ActionIdError";
}

/** Fits Discord's custom_id and Telegram's callback_data limits. */
export function actionIdFits(id: string): boolean {
  return id.length <= MAX_CUSTOM_ID_CHARS && Buffer.byteLength(id, "utf8") <= MAX_CALLBACK_DATA_BYTES;
}

/** Encodes a reference, throwing ActionIdError if a part is malformed or the result would not fit both platforms. */
export function encodeAction(ref: ActionRef): string {
  if (!ACTION.test(ref.action))
    throw new ActionIdError(`malformed action name: ${JSON.stringify(ref.action)}`);
  if (!SESSION.test(ref.session)) throw new ActionIdError("malformed session id");
  if (ref.arg !== undefined && !ARG.test(ref.arg)) throw new ActionIdError("malformed action argument");
  const id = [ACTION_ID_VERSION, ref.action, ref.session, ...(ref.arg === undefined ? [] : [ref.arg])].join(
    ":",
  );
  if (!actionIdFits(id)) {
    throw new ActionIdError(
      `action id is ${Buffer.byteLength(id, "utf8")} bytes; Telegram allows ${MAX_CALLBACK_DATA_BYTES} (action ${ref.action})`,
    );
  }
  return id;
}

/** Decodes an id from a button press; null for anything malformed, oversized or of another version. */
export function decodeAction(id: string): ActionRef | null {
  if (typeof id !== "string" || !actionIdFits(id)) return null;
  const [version, action, session, ...rest] = id.split(":");
  if (version !== ACTION_ID_VERSION || action === undefined || session === undefined) return null;
  if (!ACTION.test(action) || !SESSION.test(session)) return null;
  if (rest.length === 0) return { action, session };
  const arg = rest.join(":");
  return ARG.test(arg) ? { action, session, arg } : null;
}

/** A fresh session id: 96 random bits in 16 url-safe characters, leaving room for the action and argument. */
export function newSessionId(): string {
  return randomBytes(12).toString("base64url");
}
