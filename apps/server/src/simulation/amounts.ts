import { currencies } from "../money/index.ts";
import { assert } from "../platform/assert.ts";

function currencyInfo(currency: string): { exponent: number; jpyPerMajor: number } {
  const info = currencies[currency];
  assert(info !== undefined, `the world uses an unknown currency ${currency}`);
  return info;
}

export function currencyExponent(currency: string): number {
  return currencyInfo(currency).exponent;
}

/** A yen amount in another currency's minor units, never below one minor unit. */
export function minorFromJpy(amountJpy: number, currency: string): number {
  const info = currencyInfo(currency);
  return Math.max(1, Math.round((amountJpy / info.jpyPerMajor) * 10 ** info.exponent));
}

/** Rounds to a few significant digits: cash comes out of ATMs in round sums. */
export function roundSignificant(amountMinor: number, digits: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, amountMinor))) + 1 - digits);
  return Math.max(magnitude, Math.round(amountMinor / magnitude) * magnitude);
}

/** A monthly price: yen as listed, other currencies at the equivalent rounded up to end in .99. */
export function subscriptionPriceMinor(amountJpy: number, currency: string): number {
  if (currency === "JPY") {
    return amountJpy;
  }
  const info = currencyInfo(currency);
  const major = Math.ceil(amountJpy / info.jpyPerMajor);
  return info.exponent === 2 ? major * 100 - 1 : major * 10 ** info.exponent;
}
