/**
 * The button that switches between Japanese and English. It is labelled in the language it
 * switches to (and marked with that `lang`), so a reader who cannot read the current one finds it.
 */
import type { Lang } from "./i18n.ts";

export function LangSwitch({
  lang,
  onSwitch,
  label,
  ariaLabel,
}: {
  lang: Lang;
  onSwitch: (next: Lang) => void;
  /** The button's text, in the other language. */
  label: string;
  /** A fuller accessible name, where the text alone says too little. */
  ariaLabel?: string;
}) {
  const other: Lang = lang === "ja" ? "en" : "ja";
  return (
    <button
      type="button"
      className="secondary"
      data-testid="lang-switch"
      lang={other}
      aria-label={ariaLabel}
      onClick={() => onSwitch(other)}
    >
      {label}
    </button>
  );
}
