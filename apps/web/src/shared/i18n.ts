/**
 * Japanese and English. Each app keeps its messages as one object per language with the same
 * keys (the type makes a missing translation a compile error); the choice is remembered per
 * browser and starts from the browser's language.
 */
import { useCallback, useEffect, useState } from "react";

export type Lang = "ja" | "en";

const storageKey = "mimamori.lang";

function initialLang(): Lang {
  const stored = localStorage.getItem(storageKey);
  if (stored === "ja" || stored === "en") {
    return stored;
  }
  return navigator.language.toLowerCase().startsWith("ja") ? "ja" : "en";
}

export function useLang(): [Lang, (lang: Lang) => void] {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(storageKey, next);
    setLangState(next);
  }, []);
  return [lang, setLang];
}

/** Money in minor units shown in the language's conventions (JPY has no minor digits). */
export function formatMoney(amount: { minor: number; currency: string }, lang: Lang): string {
  const format = new Intl.NumberFormat(lang === "ja" ? "ja-JP" : "en-GB", {
    style: "currency",
    currency: amount.currency,
  });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount.minor / 10 ** digits);
}

/** An instant shown in the viewer's zone, or the zone given (the cardholder's own). */
export function formatTime(iso: string, lang: Lang, timeZone?: string): string {
  return new Intl.DateTimeFormat(lang === "ja" ? "ja-JP" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(new Date(iso));
}
