/**
 * The rules that keep our messages from looking like phishing, checked on every template before
 * the server starts. The hard part: our own templates say "we never ask for your card number",
 * so a secret being mentioned is not enough. A sentence asks for a secret when it names the
 * secret together with a request verb ("enter", "返信") that no negation governs. Checking is
 * sentence by sentence, on NFKC-normalised text so that ＣＶＶ, ｐｉｎ and "P I N" are caught.
 */
import { limits } from "../config/limits.ts";
import {
  findLinks,
  normalizeText,
  requestedSecrets,
  type Secret,
  sentencesOf,
} from "../contact-check/index.ts";
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
  | "asks_for_expiry"
  | "asks_for_bank_account"
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

const secretCodes: Readonly<Record<Secret, TemplateRuleCode>> = {
  card_number: "asks_for_card_number",
  expiry: "asks_for_expiry",
  pin: "asks_for_pin",
  security_code: "asks_for_security_code",
  password: "asks_for_password",
  one_time_code: "asks_for_one_time_code",
  bank_account: "asks_for_bank_account",
};

function excerptOf(text: string): string {
  const excerptLengthMax = 80;
  return text.length <= excerptLengthMax ? text : `${text.slice(0, excerptLengthMax - 1)}…`;
}

// --- Links -----------------------------------------------------------------------------------

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
  for (const sentence of sentencesOf(normalizeText(text))) {
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
