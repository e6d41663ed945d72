export { baseCurrency, currencies, isKnownCurrency, toBaseMinor } from "./currencies.ts";
export type { CurrencyInfo } from "./currencies.ts";
