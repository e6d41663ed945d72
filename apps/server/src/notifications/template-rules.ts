/**
 * The rules that keep our messages from looking like phishing, checked on every template before
 * the server starts. The hard part: our own templates say "we never ask for your card number",
 * so a secret being mentioned is not enough. A sentence asks for a secret when it names the
 * secret together with a request verb ("enter", "返信") that no negation governs. Checking is
 * sentence by sentence, on NFKC-normalised text so that ＣＶＶ, ｐｉｎ and "P I N" are caught.
 */
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import {
  type Channel,
  isPlaceholder,
  kindAllows,
  kindSpecs,
  type Language,
  languages,
  type MessageKind,
  messageKinds,
  type Placeholder,
  placeholderLengthMax,
  type Template,
  type TemplateSet,
} from "./message-kinds.ts";
import {
  applyTemplateOverrides,
  loadTemplateOverrides,
  placeholdersIn,
  type TemplateOverrideErrorCode,
} from "./templates.ts";

export type TemplatePolicy = {
  /**
   * The issuer's registered official domain, such as "card.example.co.jp". An https link to it or
   * to one of its subdomains is the only link a message may carry; null allows none at all.
   */
  readonly allowedLinkDomain: string | null;
  /** Carriers and the anti-phishing council advise no links in SMS, so even the official one needs this. */
  readonly smsLinkAllowed: boolean;
};

export const defaultTemplatePolicy: TemplatePolicy = { allowedLinkDomain: null, smsLinkAllowed: false };

export type TemplateRuleCode =
  | "asks_for_card_number"
  | "asks_for_pin"
  | "asks_for_security_code"
  | "asks_for_password"
  | "asks_for_one_time_code"
  | "has_link"
  | "link_not_allowed_in_sms"
  | "missing_security_phrase"
  | "missing_issuer_name"
  | "missing_placeholder"
  | "unknown_placeholder"
  | "missing_template"
  | "code_line_not_last"
  | "too_long";

export type TemplateViolation = { readonly code: TemplateRuleCode; readonly excerpt: string };

/** What a template is for; without it only the rules that hold for any text are checked. */
export type TemplateTarget = { readonly kind: MessageKind; readonly channel: Channel };

// --- Secrets, requests and negations --------------------------------------------------------

type Secret = "card_number" | "pin" | "security_code" | "password" | "one_time_code";

const secretCodes: Readonly<Record<Secret, TemplateRuleCode>> = {
  card_number: "asks_for_card_number",
  pin: "asks_for_pin",
  security_code: "asks_for_security_code",
  password: "asks_for_password",
  one_time_code: "asks_for_one_time_code",
};

/** Separators a sender may slip between the letters of an acronym: "P I N", "C.V.V", "c-v-c". */
const gap = "[\\s.\\-_*]?";

/** An acronym spelled with optional gaps, as a whole word: not the "pin" in "shopping". */
function spelled(letters: string, suffix = ""): string {
  return `(?<![a-z0-9])${[...letters].join(gap)}${suffix}(?![a-z0-9])`;
}

/**
 * Each secret in the two forms text takes: `compact` runs on the sentence with every space and
 * "・" removed (Japanese has no spaces, so "カード 番号" is still a card number); `spaced` runs on
 * the sentence with spaces kept, where English words need their boundaries.
 */
const secretPatterns: Readonly<Record<Secret, { compact: RegExp; spaced: RegExp }>> = {
  card_number: {
    compact: /カード番号|カードの番号|会員番号|カード情報|クレジット番号/,
    spaced: new RegExp(
      [
        "(?<![a-z])card\\s*(?:number|no(?![a-z])|num(?![a-z])|#|details|info(?:rmation)?)",
        "account\\s*number",
        "(?<![a-z0-9])1[56][\\s-]*digits?(?![a-z])",
        spelled("pan"),
      ].join("|"),
    ),
  },
  pin: {
    compact: /暗証/,
    spaced: new RegExp([spelled("pin"), "personal\\s*identification\\s*number"].join("|")),
  },
  security_code: {
    compact: /セキュリティー?コード|(?:裏面|うら)の?[34]桁/,
    spaced: new RegExp(
      [
        spelled("cv", `${gap}[vc](?:${gap}2)?`),
        spelled("csc"),
        "security\\s*code",
        "card\\s*verification",
        "(?<![a-z0-9])(?:3|4|three|four)[\\s-]*digit\\s*(?:security\\s*)?code",
      ].join("|"),
    ),
  },
  password: {
    compact: /(?<!ワンタイム)パスワード/,
    spaced: new RegExp(["(?<!one[\\s-]*time\\s*)pass[\\s\\-_]*word", spelled("pwd")].join("|")),
  },
  one_time_code: {
    compact: /ワンタイム(?:パスワード|コード|パス)|認証(?:コード|番号)|確認コード|パスコード|sms認証/,
    spaced: new RegExp(
      [
        "one[\\s-]*time\\s*(?:pass\\s*word|pass\\s*code|code|pin)",
        spelled("otp"),
        "verification\\s*code",
        "auth(?:entication|orization)?\\s*code",
        "pass\\s*code",
        "(?:sms|text|login)\\s*code",
        "(?<![a-z0-9])(?:4|6|8|four|six|eight)[\\s-]*digit\\s*code",
      ].join("|"),
    ),
  },
};

/** Japanese request verbs (stems, so that 教えて and 教えない both count and negation decides). */
const requestCompact =
  /入力|記入|教え|知らせ|返信|送信|送付|送って|送り|確認|回答|伝え|登録|提供|提出|打ち込|書き込|書いて/g;
const requestSpaced = new RegExp(
  "(?<![a-z])(?:re-?)?(?:enter|provide|reply|respond|send|sent|confirm|verify|update|type|share|tell|give|" +
    "submit|input|disclose|validate|text\\s+us|key\\s+in|fill\\s+in|write)(?:s|ed|ing|d)?(?![a-z])",
  "g",
);

/** Japanese negations close the predicate, so they govern a verb that comes before them. */
const negationCompact =
  /こと[はも](?:一切|決して|絶対に)?(?:ありません|ございません|いたしません|しません|ない)|伺いません|うかがいません|しません|聞きません|尋ねません|求めません|ないで|ないよう|禁止|お控えください|控えて/g;
/** English negations come first, so they govern a verb that comes after them. */
const negationSpaced =
  /(?<![a-z])(?:never|not|cannot|dont|wont|cant|no\s+one|nobody)(?![a-z])|n['’]t(?![a-z])/g;

type ClauseReading = {
  readonly secrets: ReadonlySet<Secret>;
  readonly hasRequest: boolean;
  readonly hasNegation: boolean;
  /** A request verb that no negation governs: the clause asks for something. */
  readonly hasOpenRequest: boolean;
};

function indicesOf(pattern: RegExp, text: string): number[] {
  return [...text.matchAll(pattern)].map((match) => match.index);
}

function readClause(text: string): ClauseReading {
  const compact = text.replace(/[\s・]/g, "");
  const spaced = text.replace(/\s+/g, " ");
  const secrets = new Set<Secret>();
  for (const [secret, pattern] of Object.entries(secretPatterns) as [
    Secret,
    { compact: RegExp; spaced: RegExp },
  ][]) {
    if (pattern.compact.test(compact) || pattern.spaced.test(spaced)) {
      secrets.add(secret);
    }
  }
  const requestsJa = indicesOf(requestCompact, compact);
  const requestsEn = indicesOf(requestSpaced, spaced);
  const negationsJa = indicesOf(negationCompact, compact);
  const negationsEn = indicesOf(negationSpaced, spaced);
  const hasOpenRequest =
    requestsJa.some((at) => !negationsJa.some((negation) => negation > at)) ||
    requestsEn.some((at) => !negationsEn.some((negation) => negation < at));
  return {
    secrets,
    hasRequest: requestsJa.length + requestsEn.length > 0,
    hasNegation: negationsJa.length + negationsEn.length > 0,
    hasOpenRequest,
  };
}

/**
 * The secrets one sentence asks for. Without any negation, a request verb makes every secret
 * named in the sentence a request. With one, the sentence is read clause by clause, so "do not
 * share your PIN, but confirm your password" still asks for the password. Clauses with neither
 * verb nor negation (a list: "カード番号、暗証番号を入力") count with the clause that follows.
 */
function requestedSecrets(sentence: string): Set<Secret> {
  const whole = readClause(sentence);
  if (whole.secrets.size === 0 || !whole.hasRequest) {
    return new Set();
  }
  if (!whole.hasNegation) {
    return new Set(whole.secrets);
  }
  const requested = new Set<Secret>();
  let listed: Secret[] = [];
  for (const clause of sentence.split(/[、,;；]/)) {
    const reading = readClause(clause);
    if (reading.hasOpenRequest) {
      for (const secret of [...listed, ...reading.secrets]) {
        requested.add(secret);
      }
      listed = [];
    } else if (!reading.hasRequest && !reading.hasNegation) {
      listed.push(...reading.secrets);
    } else {
      listed = [];
    }
  }
  return requested;
}

/** Case, width and invisible characters must not change what a rule sees. */
function normalize(text: string): string {
  return text.normalize("NFKC").replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, "");
}

function sentencesOf(normalized: string): string[] {
  return normalized
    .split(/[。!?\n]|\.(?=\s|$)/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== "");
}

function excerptOf(text: string): string {
  const excerptLengthMax = 80;
  return text.length <= excerptLengthMax ? text : `${text.slice(0, excerptLengthMax - 1)}…`;
}

// --- Links -----------------------------------------------------------------------------------

const linkEnd = "[^\\s<>\"'「」『』()（）、。]";
const schemeLinkPattern = new RegExp(`[a-z][a-z0-9+.-]*://${linkEnd}+`, "giu");
const wwwLinkPattern = new RegExp(`(?<![a-z0-9.-])www\\.${linkEnd}+`, "giu");
/**
 * A bare domain such as "bit.ly/abc" or "examp1e-card.com": phones turn these into links too.
 * Labels may be in any script ("例え.jp"); the top-level label is Latin or punycode, and Japanese
 * text may touch the domain on either side ("ログインはexample.comから"), since it has no spaces.
 */
const bareDomainPattern = new RegExp(
  "(?<![a-z0-9._-])(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59})" +
    `(?![a-z0-9-])(?:[/:?#]${linkEnd}*)?`,
  "giu",
);
const ipLinkPattern = new RegExp(
  `(?<![\\d.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\d.])(?:[/:?#]${linkEnd}*)?`,
  "gu",
);

/** Every link-like piece of a text, each found once (a URL's host is not found again as a domain). */
export function findLinks(text: string): string[] {
  let rest = normalize(text);
  const links: string[] = [];
  for (const pattern of [schemeLinkPattern, wwwLinkPattern, bareDomainPattern, ipLinkPattern]) {
    for (const match of rest.matchAll(pattern)) {
      links.push(match[0].replace(/[.,!?:;'"’)\]]+$/, ""));
    }
    // Blank out what was found, so the later, looser patterns do not report it a second time.
    rest = rest.replace(pattern, (found) => " ".repeat(found.length));
  }
  return links;
}

/** A lowercase host name with at least two labels, such as card.example.co.jp: what an official domain looks like. */
export function isOfficialDomain(domain: string): boolean {
  return /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/.test(domain);
}

function assertPolicyValid(policy: TemplatePolicy): void {
  const domain = policy.allowedLinkDomain;
  if (domain !== null) {
    assert(
      isOfficialDomain(domain),
      `allowedLinkDomain must be a lowercase host name such as card.example.co.jp, got ${domain}`,
    );
  }
}

/** Whether a message on this channel may carry the official link at all under the policy. */
export function allowsLinkOn(policy: TemplatePolicy, channel: Channel): boolean {
  return policy.allowedLinkDomain !== null && (channel !== "sms" || policy.smsLinkAllowed);
}

/** Whether a link is https on the issuer's official domain or one of its subdomains, and nothing else. */
export function isAllowedLink(link: string, policy: TemplatePolicy): boolean {
  assertPolicyValid(policy);
  const domain = policy.allowedLinkDomain;
  if (domain === null || !/^https:\/\//i.test(link)) {
    return false;
  }
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  // "https://card.example.co.jp@evil.example" reads as ours but goes to evil.example.
  if (url.username !== "" || url.password !== "") {
    return false;
  }
  const host = url.hostname.replace(/\.$/, "");
  return host === domain || host.endsWith(`.${domain}`);
}

function checkLinks(
  text: string,
  policy: TemplatePolicy,
  target: TemplateTarget | null,
): TemplateViolation[] {
  const isSms = target?.channel === "sms";
  const violations: TemplateViolation[] = [];
  const allowedLink = (excerpt: string): void => {
    if (isSms && !policy.smsLinkAllowed) {
      violations.push({ code: "link_not_allowed_in_sms", excerpt });
    }
  };
  for (const link of findLinks(text)) {
    if (isAllowedLink(link, policy)) {
      allowedLink(link);
    } else {
      violations.push({ code: "has_link", excerpt: excerptOf(link) });
    }
  }
  // {link} is filled with the issuer's official https link, so it is allowed where that domain is.
  if (placeholdersIn(text).includes("link")) {
    if (policy.allowedLinkDomain === null) {
      violations.push({ code: "has_link", excerpt: "{link}" });
    } else {
      allowedLink("{link}");
    }
  }
  return violations;
}

// --- Templates ---------------------------------------------------------------------------------

function checkShown(text: string, target: TemplateTarget | null): TemplateViolation[] {
  const used = new Set(placeholdersIn(text));
  const shown: readonly Placeholder[] = target === null ? ["issuerName"] : kindSpecs[target.kind].shown;
  return shown
    .filter((placeholder) => !used.has(placeholder))
    .map((placeholder) => ({
      code:
        placeholder === "issuerName"
          ? "missing_issuer_name"
          : placeholder === "securityPhrase"
            ? "missing_security_phrase"
            : "missing_placeholder",
      excerpt: `{${placeholder}}`,
    }));
}

/** The origin-bound last line of a one-time code message (WebOTP / SMS origin-bound codes). */
export const codeLine = "@{officialDomain} #{code}";

/**
 * A message that carries a one-time code ends with the line that binds it to our domain, so a
 * phone offers the code only on our own site; an override cannot drop or move it.
 */
function checkCodeLine(text: string, target: TemplateTarget | null): TemplateViolation[] {
  if (target === null || !(kindSpecs[target.kind].variables as readonly Placeholder[]).includes("code")) {
    return [];
  }
  const lastLine = text.trimEnd().split("\n").at(-1) ?? "";
  return lastLine.trim() === codeLine ? [] : [{ code: "code_line_not_last", excerpt: excerptOf(lastLine) }];
}

/**
 * Every rule one template text breaks (an e-mail's or push's subject and body together). An
 * empty list means the text may be sent. The target adds the rules of its kind and channel.
 */
export function checkTemplate(
  text: string,
  policy: TemplatePolicy,
  target: TemplateTarget | null = null,
): TemplateViolation[] {
  assertPolicyValid(policy);
  const violations: TemplateViolation[] = [];
  for (const sentence of sentencesOf(normalize(text))) {
    for (const secret of requestedSecrets(sentence.toLowerCase())) {
      violations.push({ code: secretCodes[secret], excerpt: excerptOf(sentence) });
    }
  }
  violations.push(...checkLinks(text, policy, target));
  violations.push(...checkShown(text, target));
  violations.push(...checkCodeLine(text, target));
  return violations;
}

/** The length of a text when every placeholder holds its longest allowed value. */
function lengthAtLongest(text: string): number {
  let length = text.length;
  for (const name of placeholdersIn(text)) {
    if (isPlaceholder(name)) {
      length += placeholderLengthMax[name] - (name.length + 2);
    }
  }
  return length;
}

function checkLengths(template: Template, channel: Channel): TemplateViolation[] {
  const bounds: { text: string | null; lengthMax: number }[] =
    channel === "sms"
      ? [{ text: template.body, lengthMax: limits.smsBodyCharactersMax }]
      : channel === "email"
        ? [{ text: template.subject, lengthMax: limits.emailSubjectCharactersMax }]
        : [
            { text: template.subject, lengthMax: limits.pushTitleCharactersMax },
            { text: template.body, lengthMax: limits.pushBodyCharactersMax },
          ];
  return bounds.flatMap(({ text, lengthMax }) => {
    const length = text === null ? 0 : lengthAtLongest(text);
    return length <= lengthMax
      ? []
      : [
          {
            code: "too_long" as const,
            excerpt: `${length} characters at the longest values, over ${lengthMax}`,
          },
        ];
  });
}

function checkPlaceholders(text: string, kind: MessageKind): TemplateViolation[] {
  return placeholdersIn(text)
    .filter((name) => !isPlaceholder(name) || !kindAllows(kind, name))
    .map((name) => ({ code: "unknown_placeholder", excerpt: `{${name}}` }));
}

export type TemplateSetViolation = TemplateViolation & {
  readonly kind: MessageKind;
  readonly channel: Channel;
  readonly language: Language;
};

/** Every rule every template of a set breaks, each with the template it is in. */
export function validateTemplateSet(set: TemplateSet, policy: TemplatePolicy): TemplateSetViolation[] {
  const violations: TemplateSetViolation[] = [];
  for (const kind of messageKinds) {
    for (const channel of kindSpecs[kind].channels) {
      for (const language of languages) {
        const where = { kind, channel, language };
        const template = set[kind][channel]?.[language];
        if (template === undefined) {
          violations.push({ ...where, code: "missing_template", excerpt: "" });
          continue;
        }
        if (channel !== "sms" && template.subject === null) {
          violations.push({ ...where, code: "missing_template", excerpt: "subject" });
        }
        const text = template.subject === null ? template.body : `${template.subject}\n${template.body}`;
        const found = [
          ...checkPlaceholders(text, kind),
          ...checkTemplate(text, policy, { kind, channel }),
          ...checkLengths(template, channel),
        ];
        violations.push(...found.map((violation) => ({ ...where, ...violation })));
      }
    }
  }
  return violations;
}

export type TemplateSetCheck =
  | { ok: true }
  | { ok: false; code: "unsafe_templates"; message: string; violations: readonly TemplateSetViolation[] };

/** What start-up calls: a set that breaks any rule must stop the server, with every reason listed. */
export function checkTemplateSetSafe(set: TemplateSet, policy: TemplatePolicy): TemplateSetCheck {
  const violations = validateTemplateSet(set, policy);
  if (violations.length === 0) {
    return { ok: true };
  }
  const reasons = violations.map(
    (violation) =>
      `template ${violation.kind}/${violation.channel}/${violation.language} breaks rule ${violation.code}` +
      (violation.excerpt === "" ? "" : `: «${violation.excerpt}»`),
  );
  return {
    ok: false,
    code: "unsafe_templates",
    message: `refusing to start with unsafe message templates:\n${reasons.join("\n")}`,
    violations,
  };
}

export type TemplateSetLoad =
  | { ok: true; templates: TemplateSet }
  | { ok: false; code: TemplateOverrideErrorCode | "unsafe_templates"; message: string };

/** The defaults with an issuer's overrides (already JSON-parsed, or null for none), checked whole. */
export function loadTemplateSet(
  defaults: TemplateSet,
  overridesJson: unknown,
  policy: TemplatePolicy,
): TemplateSetLoad {
  let templates = defaults;
  if (overridesJson !== null && overridesJson !== undefined) {
    const overrides = loadTemplateOverrides(overridesJson);
    if (!overrides.ok) {
      return overrides;
    }
    templates = applyTemplateOverrides(defaults, overrides.overrides);
  }
  const check = checkTemplateSetSafe(templates, policy);
  if (!check.ok) {
    return { ok: false, code: check.code, message: check.message };
  }
  return { ok: true, templates };
}
