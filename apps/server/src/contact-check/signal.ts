/**
 * What every part of the contact checker reports: a signal with a stable code, how much it
 * weighs, the piece of input it is about, and the values its localized message fills in. The
 * parts (phone numbers, links, text cues, our own records) emit signals; `checker.ts` weighs
 * them into a verdict and `reasons.ts` turns each into Japanese or English.
 */

/**
 * - official: the input is ours (a registered number, domain or sender; our exact wording).
 * - suspicious: alone enough to call the input suspicious (a lookalike domain, a request for a PIN).
 * - caution: weak alone (urgency, an unknown link); two of them together are suspicious.
 * - info: context that changes nothing (a genuine number inside a message does not vouch for it).
 */
export type Severity = "official" | "suspicious" | "caution" | "info";

export type SignalParams = Readonly<Record<string, string>>;

export type Signal<Code extends string = string> = {
  readonly code: Code;
  readonly severity: Severity;
  /** The piece of input the signal is about: a number, a URL, a sentence; shortened. */
  readonly excerpt: string;
  /** Values the localized message fills in: a domain, a purpose in ja and en, a technique. */
  readonly params: SignalParams;
};

export type Language = "ja" | "en";

/** One message per language for one code, filled from the signal's params. */
export type ReasonMessages<Code extends string> = Readonly<
  Record<Code, Readonly<Record<Language, (params: SignalParams) => string>>>
>;

/** Signals are shown to people and logged: a long sentence is cut, never a whole e-mail. */
export function excerptOf(text: string, lengthMax = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= lengthMax ? flat : `${flat.slice(0, lengthMax - 1)}…`;
}

/** A signal about a piece of input, its excerpt shortened for display and logs. */
export function signalOf<Code extends string>(
  code: Code,
  severity: Severity,
  excerpt: string,
  params: SignalParams = {},
): Signal<Code> {
  return { code, severity, excerpt: excerptOf(excerpt), params };
}
