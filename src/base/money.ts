/**
 * Money is integer cents inside skinbridge. AssetPay speaks USD numbers with cents
 * (`10.75`); these two functions are the only place the two meet.
 */
export type Cents = number;

/** Converts an AssetPay USD number to integer cents, refusing anything that is not money. */
export function dollarsToCents(usd: number): Cents {
  if (!Number.isFinite(usd)) throw new RangeError(`not a USD amount: ${usd}`);
  // Round on the decimal string, not on usd * 100: 1.005 * 100 is 100.49999… in binary floats.
  const cents = Math.round(Number(`${usd.toFixed(6)}e2`));
  if (!Number.isSafeInteger(cents)) throw new RangeError(`USD amount out of range: ${usd}`);
  return cents;
}

/** Converts integer cents to the USD number AssetPay expects in request bodies. */
export function centsToDollars(cents: Cents): number {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`);
  return Number(`${cents}e-2`);
}

/** Applies a fee or markup in basis points, rounding half away from zero to whole cents. */
export function applyBps(cents: Cents, bps: number): Cents {
  if (!Number.isSafeInteger(cents) || !Number.isInteger(bps)) throw new RangeError("integers only");
  const scaled = cents * (10_000 + bps);
  return Math.sign(scaled) * Math.round(Math.abs(scaled) / 10_000);
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
