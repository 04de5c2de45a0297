/**
 * AssetPay refuses cancelling a withdrawal in its first 30 minutes; the refusal tells the member
 * (or the moderator, for a giveaway item) the minutes left, on the app's injected clock.
 */
import { describe, expect, it } from "vitest";
import { isCoreError } from "../../src/core/errors.ts";
import { cancelTooSoon } from "../../src/core/trading/withdrawal-cancel.ts";

const STARTED = "2026-12-06T12:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(STARTED) + minutes * 60_000);

describe("cancelTooSoon", () => {
  it("counts the minutes left from the trade's start to the clock it is given, rounding up", () => {
    const err = cancelTooSoon(STARTED, at(10));
    expect(isCoreError(err) && err.key).toBe("cancelTooSoon");
    expect(err.params).toEqual({ minutes: 20 });
    expect(cancelTooSoon(STARTED, at(0)).params).toEqual({ minutes: 30 });
    expect(cancelTooSoon(STARTED, at(28.2)).params).toEqual({ minutes: 2 });
  });

  it("never says less than a minute, even when AssetPay's clock runs behind ours", () => {
    expect(cancelTooSoon(STARTED, at(29.9)).params).toEqual({ minutes: 1 });
    expect(cancelTooSoon(STARTED, at(45)).params).toEqual({ minutes: 1 });
  });
});
