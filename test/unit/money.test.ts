import { describe, expect, it } from "vitest";
import { applyBps, centsToDollars, dollarsToCents } from "../../src/base/money.ts";

describe("money at the AssetPay boundary", () => {
  it("turns USD numbers into exact integer cents, including binary-float traps", () => {
    expect(dollarsToCents(10.75)).toBe(1075);
    expect(dollarsToCents(1.005)).toBe(101);
    expect(dollarsToCents(0.1 + 0.2)).toBe(30);
    expect(dollarsToCents(100000)).toBe(10_000_000);
  });
  it("refuses values that are not money", () => {
    expect(() => dollarsToCents(Number.NaN)).toThrow(RangeError);
    expect(() => dollarsToCents(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => centsToDollars(10.5)).toThrow(RangeError);
  });
  it("turns cents back into the USD number request bodies carry", () => {
    expect(centsToDollars(1075)).toBe(10.75);
    expect(centsToDollars(7)).toBe(0.07);
  });
  it("applies a markup in basis points to whole cents", () => {
    expect(applyBps(1000, 250)).toBe(1025);
    expect(applyBps(999, 50)).toBe(1004);
    expect(applyBps(1000, 0)).toBe(1000);
  });
});
