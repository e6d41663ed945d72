/**
 * The security phrase printed in every genuine message to a cardholder. A phisher who copies our
 * notice does not know it, so a message without the cardholder's phrase is not ours. Cardholders
 * may choose their own; otherwise one is drawn here from short, unmistakable words.
 */
import type { Random } from "../platform/random.ts";

const wordsJa = [
  "さくら",
  "みかん",
  "つばめ",
  "もみじ",
  "ひまわり",
  "すずめ",
  "たんぽぽ",
  "くじら",
  "いちょう",
  "かえで",
  "ほたる",
  "つばき",
  "あさがお",
  "こぐま",
  "うさぎ",
  "なでしこ",
] as const;

const wordsEn = [
  "maple",
  "harbor",
  "lantern",
  "meadow",
  "comet",
  "willow",
  "pebble",
  "orchid",
  "falcon",
  "summit",
  "juniper",
  "canyon",
  "thistle",
  "otter",
  "saffron",
  "glacier",
] as const;

/** Two words and two digits: 16 × 16 × 100 phrases, enough that a guess is unlikely to match. */
export function newSecurityPhrase(random: Random, language: "ja" | "en"): string {
  const words = language === "ja" ? wordsJa : wordsEn;
  const first = words[random.int(words.length)];
  const second = words[random.int(words.length)];
  const digits = String(random.int(100)).padStart(2, "0");
  return `${first} ${second} ${digits}`;
}
