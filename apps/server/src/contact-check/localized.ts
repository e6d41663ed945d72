/** A text in both languages the product speaks. */
export type Localized = { readonly ja: string; readonly en: string };
