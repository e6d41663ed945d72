export type { CurrencyInfo } from "./currencies.ts";
export { baseCurrency, currencies, isKnownCurrency, toBaseMinor } from "./currencies.ts";
