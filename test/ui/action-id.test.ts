import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  ActionIdError,
  type ActionRef,
  decodeAction,
  encodeAction,
  MAX_CALLBACK_DATA_BYTES,
  newSessionId,
} from "../../src/ui/action-id.ts";

describe("action ids", () => {
  it("round-trip with and without an argument", () => {
    const plain: ActionRef = { action: "pick.confirm", session: "s3ss_ion-ID" };
    expect(encodeAction(plain)).toBe("1:pick.confirm:s3ss_ion-ID");
    expect(decodeAction(encodeAction(plain))).toEqual(plain);

    const withArg: ActionRef = { action: "pick.toggle", session: "abc", arg: "12" };
    expect(encodeAction(withArg)).toBe("1:pick.toggle:abc:12");
    expect(decodeAction("1:pick.toggle:abc:12")).toEqual(withArg);
  });

  it("keep colons inside the argument", () => {
    const ref: ActionRef = { action: "language", session: "abc", arg: "pt-BR:x:y" };
    expect(decodeAction(encodeAction(ref))).toEqual(ref);
  });

  it("leave room for every known action with a fresh session id and a short argument", () => {
    for (const action of Object.values(ACTIONS)) {
      const ref = { action, session: newSessionId(), arg: "999" };
      expect(decodeAction(encodeAction(ref))).toEqual(ref);
    }
  });

  it("refuse to encode anything over Telegram's 64 bytes, counting bytes not characters", () => {
    const session = "s".repeat(10);
    const fits = { action: "a", session, arg: "x".repeat(MAX_CALLBACK_DATA_BYTES - 15) };
    expect(encodeAction(fits)).toHaveLength(64);
    expect(() => encodeAction({ ...fits, arg: `${fits.arg}x` })).toThrow(ActionIdError);
    // 25 two-byte letters: 25 characters but 50 bytes; with 15 bytes of frame, 65.
    expect(() => encodeAction({ action: "a", session, arg: "ж".repeat(25) })).toThrow(/65 bytes/);
    // A listing UUID does not fit next to a session id: pass its index instead.
    expect(() =>
      encodeAction({
        action: "pick.toggle",
        session: newSessionId(),
        arg: "0e8f4bd2-55a1-4c8e-9a63-1f0b6f0cfa11",
      }),
    ).toThrow(ActionIdError);
  });

  it("refuse to encode malformed parts", () => {
    expect(() => encodeAction({ action: "Pick", session: "s" })).toThrow(ActionIdError);
    expect(() => encodeAction({ action: "pick:toggle", session: "s" })).toThrow(ActionIdError);
    expect(() => encodeAction({ action: "pick", session: "a:b" })).toThrow(ActionIdError);
    expect(() => encodeAction({ action: "pick", session: "" })).toThrow(ActionIdError);
    expect(() => encodeAction({ action: "pick", session: "s", arg: "" })).toThrow(ActionIdError);
    expect(() => encodeAction({ action: "pick", session: "s", arg: "a\nb" })).toThrow(ActionIdError);
  });

  it("decode malformed, oversized or foreign-version ids to null", () => {
    for (const id of [
      "",
      "1",
      "1:pick",
      "1:pick:",
      "1::s",
      "1:pick:s:",
      "2:pick.toggle:abc:1",
      "0:pick.toggle:abc",
      "pick.toggle:abc:1",
      "1:Pick:abc",
      "1:pick:a b",
      "1:pick:s:bad\u0000arg",
      `1:pick:s:${"x".repeat(60)}`,
    ]) {
      expect(decodeAction(id), JSON.stringify(id)).toBeNull();
    }
  });

  it("either round-trip exactly or refuse to encode, for any reference", () => {
    const ref = fc.record(
      {
        action: fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/),
        session: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        arg: fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" }),
      },
      { requiredKeys: ["action", "session"] },
    );
    fc.assert(
      fc.property(ref, (r) => {
        let id: string;
        try {
          id = encodeAction(r);
        } catch (err) {
          expect(err).toBeInstanceOf(ActionIdError);
          return;
        }
        expect(Buffer.byteLength(id)).toBeLessThanOrEqual(64);
        expect(decodeAction(id)).toEqual(r);
      }),
    );
  });
});
