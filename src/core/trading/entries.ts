/**
 * AssetPay items as picker entries, priced for the member: a deposit pays AssetPay's offer less
 * the community fee, a listing costs AssetPay's price plus it. Self-trades (the community's own)
 * use AssetPay's prices as they are.
 */
import type { DepositItem, WithdrawItem } from "../../assetpay/requests.ts";
import type { Item } from "../../assetpay/schemas.ts";
import { applyBps } from "../../base/money.ts";
import type { RecordItem } from "../basket.ts";
import type { PickerEntry } from "../picker.ts";

function describe(entry: PickerEntry, item: Item): PickerEntry {
  if (item.wear !== undefined) entry.wear = item.wear;
  if (item.exterior !== undefined) entry.exterior = item.exterior;
  if (item.phase !== undefined) entry.phase = item.phase;
  // Stickers tell otherwise identical listings apart.
  if (item.stickers?.length) entry.stickers = item.stickers;
  return entry;
}

export function depositEntry(item: Item, feeBps: number): PickerEntry {
  const quoted = item.priceCents ?? 0;
  return describe(
    {
      id: item.id,
      name: item.name,
      priceCents: applyBps(quoted, -feeBps),
      quotedCents: quoted,
      amount: item.amount || 1,
      selectable: item.tradable && item.accepted !== false && quoted > 0,
    },
    item,
  );
}

export function listingEntry(item: Item, feeBps: number): PickerEntry {
  const quoted = item.priceCents ?? 0;
  const entry = describe(
    {
      id: item.id,
      name: item.name,
      priceCents: applyBps(quoted, feeBps),
      quotedCents: quoted,
      amount: 1,
      selectable: quoted > 0,
    },
    item,
  );
  if (item.delivery !== undefined) entry.delivery = item.delivery;
  return entry;
}

/** Inventories: what can be deposited first, most valuable first. */
export const byValue = (a: PickerEntry, b: PickerEntry): number =>
  Number(b.selectable) - Number(a.selectable) || b.priceCents - a.priceCents || a.name.localeCompare(b.name);

/** Listings: cheapest first. */
export const byPrice = (a: PickerEntry, b: PickerEntry): number =>
  a.priceCents - b.priceCents || a.name.localeCompare(b.name);

/** The chosen entries as a basket remembers them: at the prices the member saw and confirmed. */
export function basketItems(chosen: PickerEntry[]): RecordItem[] {
  return chosen.map((e) => ({
    id: e.id,
    name: e.name,
    memberPriceCents: e.priceCents,
    quotedPriceCents: e.quotedCents,
    amount: e.amount,
    ...(e.wear !== undefined ? { wear: e.wear } : {}),
  }));
}

/** Skins sold to AssetPay, at the prices it quoted; a stack's amount is sent only when above one. */
export function depositItems(chosen: PickerEntry[]): DepositItem[] {
  return chosen.map((e) => ({
    itemId: e.id,
    priceCents: e.quotedCents,
    ...(e.amount > 1 ? { amount: e.amount } : {}),
  }));
}

/** Listings bought from AssetPay, at the prices it quoted. */
export function listingItems(chosen: PickerEntry[]): WithdrawItem[] {
  return chosen.map((e) => ({ itemId: e.id, priceCents: e.quotedCents }));
}
