/**
 * Lookalike domains: a name made to pass for one of ours at a glance. The techniques are those
 * dnstwist generates (research §6.1) and those seen in Japanese card phishing: "rakuten-cards"
 * (a plural), "saisoncardco.jp" (a dropped dot), "rakuten-card.co.jp.abcde.cn" (our name as a
 * subdomain of someone else's domain), "rаkuten" with a Cyrillic "а".
 *
 * Rather than generating every permutation and looking the candidate up, each technique is
 * recognised directly by comparing the candidate with each official name: the same answers, no
 * table to build, and the technique comes out by name for the message. Everything here is pure.
 */

import { domainToUnicode } from "node:url";
import { confusablesMap } from "confusables";

export type LookalikeTechnique =
  | "homoglyph"
  | "mixed_script"
  | "idn"
  | "addition"
  | "omission"
  | "transposition"
  | "repetition"
  | "replacement"
  | "vowel_swap"
  | "hyphenation"
  | "tld_swap"
  | "dot_omission"
  | "plural"
  | "brand_word"
  | "brand_subdomain";

export type Lookalike = {
  readonly technique: LookalikeTechnique;
  /** The official domain, brand token or brand name imitated: "rakuten-card.co.jp", "rakuten". */
  readonly official: string;
  /** The part of the candidate that does the imitating, readable: "rakuten-cards", "rakuten-card.co.jp". */
  readonly shown: string;
};

/** A host name split by the public-suffix list; every field is lowercase ASCII (punycode). */
export type DomainParts = {
  /** "www.rakuten-cards.com" */
  readonly hostname: string;
  /** "rakuten-cards.com" */
  readonly registrableDomain: string;
  /** The registrable domain without its suffix: "rakuten-cards". */
  readonly label: string;
  /** "com", "co.jp", or the last label of a name outside the list ("example"). */
  readonly publicSuffix: string;
  /** "www", or "" when there is none. */
  readonly subdomain: string;
};

export type CandidateHost = DomainParts & {
  /** The host was written as "xn--…" rather than in the letters it stands for. */
  readonly isWrittenAsPunycode: boolean;
};

/** What a candidate is compared with: the registry's domains and the issuer's names. */
export type OfficialNames = {
  readonly domains: readonly DomainParts[];
  /** Distinctive parts of our domains ("rakuten"), lowercase ASCII. */
  readonly domainTokens: readonly string[];
  /** Names a message uses for us ("楽天カード", "Rakuten Card"). */
  readonly brandNames: readonly string[];
};

/**
 * One edit of a three-letter name ("jcb") reaches dozens of unrelated short domains, so single
 * edits are looked for only on official labels at least this long.
 */
const editLabelLengthMin = 4;
/**
 * Any one-letter change of a seven-letter name is still a rare word; shorter names have ordinary
 * neighbours ("saison" and "maison"), so on them only a change to a neighbouring key, the typo an
 * attacker counts on, is taken.
 */
const replacementAnyLengthMin = 7;
/** A token this long is distinctive anywhere in a name ("myrakuten"); a shorter one ("smbc", "jcb") only where a word starts. */
const tokenAnywhereLengthMin = 5;
/** A one-edit misspelling of a token inside a longer name ("rakutan-login") is looked for only on tokens this long. */
const tokenEditLengthMin = 6;

/**
 * The lookalike finding for a candidate host, or null. Never reports a host under one of the
 * official registrable domains: those are ours whatever their subdomain.
 */
export function findLookalike(candidate: CandidateHost, officials: OfficialNames): Lookalike | null {
  if (officials.domains.some((official) => official.registrableDomain === candidate.registrableDomain)) {
    return null;
  }
  const labelUnicode = toUnicodeLabel(candidate.label);
  const skeleton = skeletonOf(labelUnicode);
  const found =
    lookalikeOfOfficialLabel(skeleton, candidate.publicSuffix, officials.domains) ??
    brandWordOf(skeleton, labelUnicode, officials) ??
    misspelledTokenOf(skeleton, officials.domainTokens);
  if (found !== null) {
    return {
      technique: unicodeTechnique(labelUnicode, candidate, found.technique),
      official: found.official,
      shown: labelUnicode,
    };
  }
  const subdomainUnicode = toUnicodeLabel(candidate.subdomain);
  const official = brandInSubdomainOf(skeletonOf(subdomainUnicode), officials);
  return official === null ? null : { technique: "brand_subdomain", official, shown: subdomainUnicode };
}

type Found = { readonly technique: LookalikeTechnique; readonly official: string };

/**
 * A name that only looks Latin is reported by how it fools the eye: written as "xn--…", mixing
 * alphabets, or made of lookalike letters, whatever edit the Latin letters it imitates show.
 */
function unicodeTechnique(
  labelUnicode: string,
  candidate: CandidateHost,
  technique: LookalikeTechnique,
): LookalikeTechnique {
  if (isAscii(labelUnicode)) {
    return technique;
  }
  if (candidate.isWrittenAsPunycode) {
    return "idn";
  }
  if (!isAscii(skeletonOf(labelUnicode))) {
    // Japanese letters imitate nothing Latin: "楽天カード-login" is a brand word, not a homoglyph.
    return technique;
  }
  return isMixedScript(labelUnicode) ? "mixed_script" : "homoglyph";
}

function lookalikeOfOfficialLabel(
  skeleton: string,
  suffix: string,
  domains: readonly DomainParts[],
): Found | null {
  for (const official of domains) {
    const technique = compareLabels(skeleton, official);
    if (technique === "same") {
      // An ASCII name equal to ours under our own suffix is ours and never gets here; an equal
      // skeleton under the same suffix means the letters only look like ours.
      return {
        technique: suffix === official.publicSuffix ? "homoglyph" : "tld_swap",
        official: official.registrableDomain,
      };
    }
    if (technique !== null) {
      return { technique, official: official.registrableDomain };
    }
  }
  return null;
}

/** How a candidate label (already a skeleton) differs from an official one, most specific first. */
function compareLabels(candidate: string, official: DomainParts): LookalikeTechnique | "same" | null {
  const label = official.label;
  if (candidate === label) {
    return "same";
  }
  if (dotOmissionsOf(official).has(candidate)) {
    return "dot_omission";
  }
  if (withoutHyphens(candidate) === withoutHyphens(label)) {
    return "hyphenation";
  }
  if (foldAscii(withoutHyphens(candidate)) === foldAscii(withoutHyphens(label))) {
    return "homoglyph";
  }
  return label.length >= editLabelLengthMin ? classifyEdit(candidate, label) : null;
}

/**
 * "saisoncardco.jp" and "saisoncard-co-jp.com" for saisoncard.co.jp: the suffix, or its first
 * labels, glued to the name. "wwwsaisoncard" glues the "www." in front.
 */
function dotOmissionsOf(official: DomainParts): Set<string> {
  const suffixLabels = official.publicSuffix.split(".");
  const forms = new Set<string>(["www", "www-"].map((prefix) => `${prefix}${official.label}`));
  for (let count = 1; count <= suffixLabels.length; count++) {
    const taken = suffixLabels.slice(0, count);
    for (const glue of ["", "-"]) {
      forms.add(`${official.label}${glue}${taken.join("")}`);
      forms.add(`${official.label}${glue}${taken.join("-")}`);
    }
  }
  return forms;
}

/**
 * The single edit that turns `official` into `candidate`, named as dnstwist names it, or null
 * when it takes more than one. Hyphen edits are found before this, as hyphenation.
 */
export function classifyEdit(candidate: string, official: string): LookalikeTechnique | null {
  if (candidate.length === official.length + 1) {
    return classifyInsertion(candidate, official);
  }
  if (candidate.length === official.length + 2) {
    return isPluralOf(candidate, official, "es") ? "plural" : null;
  }
  if (candidate.length === official.length - 1) {
    return insertionIndexOf(official, candidate) === null ? null : "omission";
  }
  if (candidate.length !== official.length) {
    return null;
  }
  const differences = [...candidate].flatMap((char, index) => (char === official[index] ? [] : [index]));
  const [first, second] = differences;
  if (differences.length === 2 && first !== undefined && second === first + 1) {
    const isSwap = candidate[first] === official[second] && candidate[second] === official[first];
    return isSwap ? "transposition" : null;
  }
  if (differences.length !== 1 || first === undefined) {
    return null;
  }
  const written = candidate[first] ?? "";
  const meant = official[first] ?? "";
  if (vowels.has(written) && vowels.has(meant)) {
    return "vowel_swap";
  }
  const isNeighbourKey = keyboardNeighbours[meant]?.includes(written) ?? false;
  return official.length >= replacementAnyLengthMin || isNeighbourKey ? "replacement" : null;
}

function classifyInsertion(candidate: string, official: string): LookalikeTechnique | null {
  const index = insertionIndexOf(candidate, official);
  if (index === null) {
    return null;
  }
  if (isPluralOf(candidate, official, "s")) {
    return "plural";
  }
  const inserted = candidate[index];
  return inserted === candidate[index - 1] || inserted === candidate[index + 1] ? "repetition" : "addition";
}

/** Where one character was inserted into `shorter` to make `longer`, or null. */
function insertionIndexOf(longer: string, shorter: string): number | null {
  let index = 0;
  while (index < shorter.length && longer[index] === shorter[index]) {
    index++;
  }
  return longer.slice(index + 1) === shorter.slice(index) ? index : null;
}

/** "rakuten-cards", "rakutens-card": an ending added to the whole name or to one of its words. */
function isPluralOf(candidate: string, official: string, ending: string): boolean {
  const words = official.split("-");
  return words.some(
    (_, index) => words.map((word, at) => (at === index ? `${word}${ending}` : word)).join("-") === candidate,
  );
}

/**
 * "rakuten-card-login", "smbc-vpass1234", "楽天カード-ログイン": our label, a token or a brand
 * name with other words around it.
 */
function brandWordOf(skeleton: string, labelUnicode: string, officials: OfficialNames): Found | null {
  const joined = withoutHyphens(skeleton);
  for (const official of officials.domains) {
    if (containsName(skeleton, joined, official.label)) {
      return { technique: "brand_word", official: official.registrableDomain };
    }
  }
  for (const token of officials.domainTokens) {
    if (containsName(skeleton, joined, token.toLowerCase())) {
      return { technique: "brand_word", official: token };
    }
  }
  const unicodeJoined = withoutHyphens(labelUnicode.normalize("NFKC").toLowerCase());
  for (const brandName of officials.brandNames) {
    const name = brandName
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\s.\-・]/g, "");
    // A single kanji ("楽") is in countless names; two or more characters of a brand are not.
    const isPresent = isAscii(name)
      ? name !== "" && containsName(skeleton, joined, name)
      : name.length >= 2 && unicodeJoined.includes(name);
    if (isPresent) {
      return { technique: "brand_word", official: brandName };
    }
  }
  return null;
}

/** A long name anywhere; a short one only at the start of a word, so "jcb" is not found in "ajcbx". */
function containsName(label: string, joined: string, name: string): boolean {
  const plain = withoutHyphens(name);
  if (plain.length >= tokenAnywhereLengthMin) {
    return joined.includes(plain);
  }
  return wordsOf(label).some((word) => word.startsWith(plain)) || joined.startsWith(plain);
}

/** "rakutan-login": a word of the candidate one edit away from a long token. */
function misspelledTokenOf(skeleton: string, tokens: readonly string[]): Found | null {
  for (const token of tokens) {
    if (token.length < tokenEditLengthMin) {
      continue;
    }
    for (const word of wordsOf(skeleton)) {
      const technique = word === token ? null : classifyEdit(word, token.toLowerCase());
      if (technique !== null) {
        return { technique, official: token };
      }
    }
  }
  return null;
}

/**
 * Our domain, label or token in the subdomain of someone else's domain:
 * "rakuten-card.co.jp.abcde.cn", "www-americanexpress-com.x.shop", "rakuten.co.jp-cookiespost.jscss.info",
 * "smbc.co.ip.x.com" (a typo'd suffix still carries the label). Dots and hyphens both separate.
 */
function brandInSubdomainOf(subdomain: string, officials: OfficialNames): string | null {
  if (subdomain === "") {
    return null;
  }
  const pieces = subdomain.split(/[.-]/).filter((piece) => piece !== "");
  for (const official of officials.domains) {
    const isPresent =
      containsSequence(pieces, official.registrableDomain.split(/[.-]/)) ||
      containsSequence(pieces, official.label.split("-"));
    if (isPresent) {
      return official.registrableDomain;
    }
  }
  for (const token of officials.domainTokens) {
    const name = token.toLowerCase();
    const isPresent = pieces.some((piece) =>
      name.length >= tokenAnywhereLengthMin ? piece.includes(name) : piece.startsWith(name),
    );
    if (isPresent) {
      return token;
    }
  }
  return null;
}

function containsSequence(pieces: readonly string[], sequence: readonly string[]): boolean {
  for (let start = 0; start + sequence.length <= pieces.length; start++) {
    if (sequence.every((piece, offset) => pieces[start + offset] === piece)) {
      return true;
    }
  }
  return false;
}

// --- Letters -----------------------------------------------------------------------------------

/** A punycode label ("xn--rkuten-card-yij") in the letters it shows; others as they are. */
export function toUnicodeLabel(label: string): string {
  if (!label.includes("xn--")) {
    return label;
  }
  const unicode = domainToUnicode(label);
  return unicode === "" ? label : unicode;
}

/**
 * What a name looks like, in lowercase Latin: "rаkuten" with a Cyrillic "а" and "ｒakuten" both
 * become "rakuten". Accents are dropped ("räkuten"; not kana voicing marks, which would turn
 * "ド" into "ト"), then every non-ASCII letter with a Latin
 * lookalike in Unicode's confusables table is replaced by it. ASCII stays as it is, so a plain
 * name is its own skeleton; ASCII lookalikes (0 and o) are folded separately by `foldAscii`.
 */
export function skeletonOf(text: string): string {
  let skeleton = "";
  for (const char of text.normalize("NFKC").normalize("NFD")) {
    if (/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/.test(char)) {
      continue;
    }
    skeleton += char.charCodeAt(0) < 128 ? char : (confusablesMap.get(char) ?? char);
  }
  return skeleton.normalize("NFC").toLowerCase();
}

/** ASCII pairs that read alike in a phone's font: rn/m, vv/w, cl/d, 0/o, 1/l/i. */
function foldAscii(text: string): string {
  return text
    .replace(/rn/g, "m")
    .replace(/vv/g, "w")
    .replace(/cl/g, "d")
    .replace(/0/g, "o")
    .replace(/[1i]/g, "l");
}

function withoutHyphens(text: string): string {
  return text.replace(/-/g, "");
}

function wordsOf(label: string): string[] {
  return label.split("-").filter((word) => word !== "");
}

function isAscii(text: string): boolean {
  return [...text].every((char) => char.charCodeAt(0) < 128);
}

const scriptPatterns: readonly (readonly [string, RegExp])[] = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Cherokee", /\p{Script=Cherokee}/u],
  ["Han", /\p{Script=Han}/u],
  ["Hiragana", /\p{Script=Hiragana}/u],
  ["Katakana", /\p{Script=Katakana}/u],
  ["Hangul", /\p{Script=Hangul}/u],
  ["Bopomofo", /\p{Script=Bopomofo}/u],
];

/**
 * Scripts that legitimately share a name (UTS #39 "highly restrictive"): Japanese mixes Latin,
 * kanji and kana; Chinese and Korean mix Latin with their own. Latin with Cyrillic or Greek is
 * never needed and is how "rаkuten" is made.
 */
const allowedScriptMixes: readonly ReadonlySet<string>[] = [
  new Set(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set(["Latin", "Han", "Bopomofo"]),
  new Set(["Latin", "Han", "Hangul"]),
];

/** The scripts a name's letters come from; digits, hyphens and marks belong to none. */
export function scriptsOf(text: string): Set<string> {
  const scripts = new Set<string>();
  for (const char of text) {
    if (/[\p{Script=Common}\p{Script=Inherited}]/u.test(char)) {
      continue;
    }
    scripts.add(scriptPatterns.find(([, pattern]) => pattern.test(char))?.[0] ?? "Other");
  }
  return scripts;
}

/** Whether a name mixes scripts no genuine name mixes ("rаkuten": Latin and Cyrillic). */
export function isMixedScript(text: string): boolean {
  const scripts = scriptsOf(text);
  if (scripts.size <= 1) {
    return false;
  }
  return !allowedScriptMixes.some((allowed) => [...scripts].every((script) => allowed.has(script)));
}

const vowels = new Set(["a", "e", "i", "o", "u"]);

/** Keys next to each key on a QWERTY keyboard, the layout Japanese phones and PCs use for Latin. */
const keyboardNeighbours: Readonly<Record<string, string>> = {
  "1": "2q",
  "2": "13qw",
  "3": "24we",
  "4": "35er",
  "5": "46rt",
  "6": "57ty",
  "7": "68yu",
  "8": "79ui",
  "9": "80io",
  "0": "9op",
  q: "12wa",
  w: "23qeas",
  e: "34wrsd",
  r: "45etdf",
  t: "56ryfg",
  y: "67tugh",
  u: "78yihj",
  i: "89uojk",
  o: "90ipkl",
  p: "0ol",
  a: "qwsz",
  s: "weadzx",
  d: "erfsxc",
  f: "rtdgcv",
  g: "tyfhvb",
  h: "yugjbn",
  j: "uihknm",
  k: "iojlm",
  l: "opk",
  z: "asx",
  x: "zsdc",
  c: "xdfv",
  v: "cfgb",
  b: "vghn",
  n: "bhjm",
  m: "njk",
};
