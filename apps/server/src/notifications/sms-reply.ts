/**
 * Answers to a confirmation request arrive as SMS replies: "1" (mine) or "2" (not mine), with a
 * reference such as "1 A7K" when a cardholder has more than one open confirmation. People type
 * on phones, so width, case and spacing must not matter; anything else is not understood and
 * gets a friendly "please reply 1 or 2", never a guess.
 */
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";

/**
 * No 0/O, 1/I/L, 2/Z, 5/S or 8/B: a reference read off a lock screen is typed back right, and
 * no reference starts with the digits 1 or 2 that carry the answer. 25³ = 15,625 references.
 */
export const referenceAlphabet = "ACDEFGHJKMNPQRTUVWXY34679";

export type ConfirmationAnswer = "mine" | "not_mine";

export type SmsReply =
  | { ok: true; answer: ConfirmationAnswer; reference: string | null }
  | { ok: false; code: "reply_not_understood"; message: string };

const notUnderstood = (message: string): SmsReply => ({ ok: false, code: "reply_not_understood", message });

const wordAnswers: Readonly<Record<string, ConfirmationAnswer>> = {
  YES: "mine",
  NO: "not_mine",
  はい: "mine",
  ハイ: "mine",
  いいえ: "not_mine",
  イイエ: "not_mine",
};

const referenceSet = new Set(referenceAlphabet);

export function isReference(text: string): boolean {
  return text.length === 3 && [...text].every((character) => referenceSet.has(character));
}

/**
 * Reads "1", "２", " 1 a7k ", "1A7K", "「2」", "YES", "いいえ". Quotes are accepted because our
 * Japanese messages write the answer as 「1」 and some people copy the brackets.
 */
export function parseSmsReply(body: string): SmsReply {
  if (body.length > limits.smsReplyLengthMax) {
    return notUnderstood("a reply is 1 or 2, with a reference at most");
  }
  const text = body
    .normalize("NFKC")
    .replace(/[\s"'「」『』“”‘’。.!]+/g, " ")
    .trim()
    .toUpperCase();
  const word = wordAnswers[text];
  if (word !== undefined) {
    return { ok: true, answer: word, reference: null };
  }
  const match = /^([12])(?: ?([A-Z0-9]{3}))?$/.exec(text);
  if (match === null) {
    return notUnderstood(`not an answer: expected 1 or 2, optionally with a reference`);
  }
  const answer: ConfirmationAnswer = match[1] === "1" ? "mine" : "not_mine";
  const reference = match[2] ?? null;
  if (reference !== null && !isReference(reference)) {
    return notUnderstood(`${reference} is not a reference`);
  }
  return { ok: true, answer, reference };
}

export type NewReference =
  | { ok: true; reference: string }
  | { ok: false; code: "reference_space_exhausted"; message: string };

/**
 * A reference for a new confirmation, unlike the cardholder's other open ones. References are
 * unique per cardholder only, so a few draws find a free one; running out means the cardholder
 * has thousands open, which the caller should have stopped long before.
 */
export function newReference(random: Random, taken: (reference: string) => boolean): NewReference {
  for (let attempt = 0; attempt < limits.referenceDrawAttemptsMax; attempt++) {
    let reference = "";
    for (let i = 0; i < 3; i++) {
      reference += referenceAlphabet[random.int(referenceAlphabet.length)];
    }
    assert(isReference(reference), "a drawn reference uses the reference alphabet");
    if (!taken(reference)) {
      return { ok: true, reference };
    }
  }
  return {
    ok: false,
    code: "reference_space_exhausted",
    message: `no free reference after ${limits.referenceDrawAttemptsMax} draws`,
  };
}
