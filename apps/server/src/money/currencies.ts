/**
 * ISO 4217 currencies the engine accepts, with their minor-unit exponent and a reference rate into
 * the issuer's base currency (JPY). Velocity sums and profile amounts are kept in base minor units so
 * a card used in several currencies has one spending history. The rates are deliberately coarse
 * reference values: the features need magnitudes, not settlement-grade conversion, and a production
 * issuer replaces this table with its daily rates.
 */
export type CurrencyInfo = { readonly exponent: number; readonly jpyPerMajor: number };

export const currencies: Readonly<Record<string, CurrencyInfo>> = {
  JPY: { exponent: 0, jpyPerMajor: 1 },
  USD: { exponent: 2, jpyPerMajor: 150 },
  EUR: { exponent: 2, jpyPerMajor: 160 },
  GBP: { exponent: 2, jpyPerMajor: 190 },
  CNY: { exponent: 2, jpyPerMajor: 21 },
  KRW: { exponent: 0, jpyPerMajor: 0.11 },
  TWD: { exponent: 2, jpyPerMajor: 4.7 },
  HKD: { exponent: 2, jpyPerMajor: 19 },
  SGD: { exponent: 2, jpyPerMajor: 112 },
  THB: { exponent: 2, jpyPerMajor: 4.3 },
  AUD: { exponent: 2, jpyPerMajor: 98 },
  CAD: { exponent: 2, jpyPerMajor: 108 },
  CHF: { exponent: 2, jpyPerMajor: 170 },
  PHP: { exponent: 2, jpyPerMajor: 2.6 },
  VND: { exponent: 0, jpyPerMajor: 0.0059 },
  INR: { exponent: 2, jpyPerMajor: 1.8 },
  IDR: { exponent: 2, jpyPerMajor: 0.0094 },
  MYR: { exponent: 2, jpyPerMajor: 33 },
  NZD: { exponent: 2, jpyPerMajor: 90 },
  BRL: { exponent: 2, jpyPerMajor: 27 },
  MXN: { exponent: 2, jpyPerMajor: 8.3 },
  AED: { exponent: 2, jpyPerMajor: 41 },
  SEK: { exponent: 2, jpyPerMajor: 14 },
  NOK: { exponent: 2, jpyPerMajor: 14 },
  DKK: { exponent: 2, jpyPerMajor: 21 },
  BHD: { exponent: 3, jpyPerMajor: 400 },
  KWD: { exponent: 3, jpyPerMajor: 490 },
};

export const baseCurrency = "JPY";

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(currencies, code);
}

/** Converts an amount in a known currency's minor units to base (JPY) minor units, rounded. */
export function toBaseMinor(amountMinor: number, currency: string): number {
  const info = currencies[currency];
  if (info === undefined) {
    throw new Error(`unknown currency ${currency}: parse at the edge first`);
  }
  return Math.round((amountMinor / 10 ** info.exponent) * info.jpyPerMajor);
}
