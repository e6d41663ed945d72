/**
 * Where a link really leads and whether that is us. A link is parsed as the browser would parse
 * it (WHATWG URL), its host split with the public-suffix list (tldts), and then compared with the
 * registry: ours, a lookalike of ours, or someone else's, with the tricks that hide which
 * (`user@host`, an IP address, a shortener, a translation relay, our name in the path).
 *
 * Nothing here fetches anything: following an attacker's link from our servers would tell the
 * attacker the message was checked, and the answer must not depend on their server.
 */

import { domainToASCII, domainToUnicode } from "node:url";
import { parse } from "tldts";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import { normalizeLinkText } from "./links.ts";
import type { Localized } from "./localized.ts";
import {
  type DomainParts,
  findLookalike,
  isMixedScript,
  type Lookalike,
  type LookalikeTechnique,
  type OfficialNames,
  scriptsOf,
} from "./lookalike.ts";
import type { ContactRegistry, RegistryDomain } from "./registry-types.ts";
import { isShortener } from "./shorteners.ts";
import { type ReasonMessages, type Signal, type SignalParams, signalOf } from "./signal.ts";

/** A service that shows or forwards to another site, so the link's own host says nothing. */
export type Redirector = {
  /** The relay's host as shown in messages: "translate.goog", "www.google.com". */
  readonly service: string;
  /** The host it leads to, when the link says: "www.rakuten-card.co.jp"; else null. */
  readonly target: string | null;
};

export type LinkAnalysis =
  | {
      readonly kind: "unparseable";
      /** The link as given, after width and defang normalization, cut to the length bound. */
      readonly raw: string;
      readonly official: null;
    }
  | {
      readonly kind: "parsed";
      readonly raw: string;
      /** The URL as the browser would open it. */
      readonly href: string;
      /** "https", "http"; null when written without one ("rakuten-cards.com/login"). */
      readonly scheme: string | null;
      /** Lowercase ASCII, punycode for IDN: "xn--rkuten-card-yij.co.jp"; IPv6 in brackets. */
      readonly hostAscii: string;
      /** The same host in the letters it shows: "rаkuten-card.co.jp". */
      readonly hostUnicode: string;
      /** By the public-suffix list; null for IP addresses and one-label hosts. */
      readonly registrableDomain: string | null;
      readonly publicSuffix: string | null;
      /** "" when there is none. */
      readonly subdomain: string;
      readonly isIp: boolean;
      readonly hasUserinfo: boolean;
      /** What stands before "@", as written: "rakuten-card.co.jp" in "https://rakuten-card.co.jp@evil.example/". */
      readonly userinfo: string;
      /** Some label of the host was written as "xn--…". */
      readonly isWrittenAsPunycode: boolean;
      /** Some label of the host mixes scripts no genuine name mixes (Latin with Cyrillic). */
      readonly isMixedScript: boolean;
      /** The registry entry the host belongs to; null when it is not ours. */
      readonly official: RegistryDomain | null;
      readonly isShortener: boolean;
      /** Null for official hosts, IP addresses and relays. */
      readonly lookalike: Lookalike | null;
      /** An official domain written in the path, query or fragment of a foreign host. */
      readonly officialInPath: string | null;
      readonly redirector: Redirector | null;
    };

export type ParsedLink = Extract<LinkAnalysis, { kind: "parsed" }>;

export type EmailAnalysis =
  | { readonly kind: "unparseable"; readonly raw: string; readonly official: null }
  | {
      readonly kind: "parsed";
      readonly raw: string;
      /** "info@xn--rkuten-card-yij.co.jp": the local part as written, the domain in ASCII. */
      readonly address: string;
      readonly domainAscii: string;
      readonly domainUnicode: string;
      readonly registrableDomain: string | null;
      readonly isWrittenAsPunycode: boolean;
      readonly isMixedScript: boolean;
      /** The registry's e-mail domain the sender's domain belongs to; null when it is not ours. */
      readonly official: RegistryDomain | null;
      readonly lookalike: Lookalike | null;
    };

export type LinkSignalCode =
  | "official_domain"
  | "official_email_domain"
  | "lookalike_domain"
  | "brand_in_subdomain"
  | "official_domain_in_path"
  | "url_shortener"
  | "ip_literal_url"
  | "userinfo_in_url"
  | "punycode_domain"
  | "mixed_script_domain"
  | "redirector_url"
  | "insecure_link"
  | "unknown_domain"
  | "unknown_email_domain"
  | "unparseable_link"
  | "unparseable_email_address";

/** Where the link came from: typed in to be checked, or found inside a message. */
export type LinkContext = "input" | "in_text";

// --- Parsing -----------------------------------------------------------------------------------

/** A host split by the public-suffix list; null for IP addresses and one-label names ("localhost"). */
export function parseDomainParts(hostname: string): DomainParts | null {
  // Private suffixes count ("github.io", "blogspot.com"): each site under them has its own owner.
  const parsed = parse(hostname, { allowPrivateDomains: true });
  if (parsed.isIp === true || parsed.domain === null || parsed.publicSuffix === null) {
    return null;
  }
  return {
    hostname: parsed.hostname ?? hostname,
    registrableDomain: parsed.domain,
    label: parsed.domainWithoutSuffix ?? "",
    publicSuffix: parsed.publicSuffix,
    subdomain: parsed.subdomain ?? "",
  };
}

/** Whether a host is this registry entry: the domain itself, or below it where the entry says so. */
function belongsTo(host: string, entry: RegistryDomain): boolean {
  return host === entry.domain || (entry.includeSubdomains && host.endsWith(`.${entry.domain}`));
}

function officialOf(host: string, entries: readonly RegistryDomain[]): RegistryDomain | null {
  return entries.find((entry) => belongsTo(host, entry)) ?? null;
}

const officialNamesCache = new WeakMap<ContactRegistry, OfficialNames>();

/** Every registrable domain of the registry, once, with the issuer's tokens and names. */
function officialNamesOf(registry: ContactRegistry): OfficialNames {
  const cached = officialNamesCache.get(registry);
  if (cached !== undefined) {
    return cached;
  }
  const domains = new Map<string, DomainParts>();
  for (const entry of [...registry.webDomains, ...registry.emailDomains]) {
    const parts = parseDomainParts(entry.domain);
    if (parts !== null && !domains.has(parts.registrableDomain)) {
      domains.set(parts.registrableDomain, { ...parts, hostname: parts.registrableDomain, subdomain: "" });
    }
  }
  const names: OfficialNames = {
    domains: [...domains.values()],
    domainTokens: registry.issuer.domainTokens.map((token) => token.toLowerCase()),
    brandNames: registry.issuer.brandNames,
  };
  officialNamesCache.set(registry, names);
  return names;
}

const schemePattern = /^([a-z][a-z0-9+.-]*):\/\//i;
const ipv4Pattern = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The host exactly as written in the authority ("user@host:port"), before the URL parser turns it into punycode. */
function writtenHostOf(authority: string): string {
  return authority
    .slice(authority.lastIndexOf("@") + 1)
    .replace(/:\d*$/, "")
    .toLowerCase();
}

/**
 * Everything knowable about one link without opening it. `raw` is a link as `findLinks` finds it
 * or as a cardholder pastes it; bare domains are read as the phone reads them, as http.
 */
export function analyzeLink(raw: string, registry: ContactRegistry): LinkAnalysis {
  // The host sits at the front; a longer link is padding and is read from its first characters.
  const text = normalizeLinkText(raw.trim()).slice(0, limits.contactLinkLengthMax);
  const scheme = schemePattern.exec(text)?.[1]?.toLowerCase() ?? null;
  const absolute = scheme === null ? `http://${text}` : text;
  if (!URL.canParse(absolute)) {
    return { kind: "unparseable", raw: text, official: null };
  }
  const url = new URL(absolute);
  const hostAscii = url.hostname.toLowerCase().replace(/\.$/, "");
  const isIp = ipv4Pattern.test(hostAscii) || hostAscii.startsWith("[");
  // The URL parser lets through hosts no DNS name can have ("ht!tp"): no browser reaches those.
  if (!isIp && !/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/.test(hostAscii)) {
    return { kind: "unparseable", raw: text, official: null };
  }
  const hostUnicode = isIp ? hostAscii : domainToUnicode(hostAscii) || hostAscii;
  const parts = isIp ? null : parseDomainParts(hostAscii);
  const official = officialOf(hostAscii, registry.webDomains) ?? officialOf(hostAscii, registry.emailDomains);
  const authority = text.replace(schemePattern, "").replace(/[/?#\\].*$/s, "");
  const isWrittenAsPunycode = /(?:^|\.)xn--/.test(writtenHostOf(authority));
  const redirector = official === null ? redirectorOf(url, hostAscii) : null;
  const names = officialNamesOf(registry);
  const userinfo =
    url.username === "" && url.password === "" ? "" : authority.slice(0, authority.lastIndexOf("@"));
  return {
    kind: "parsed",
    raw: text,
    href: url.href,
    scheme,
    hostAscii,
    hostUnicode,
    registrableDomain: parts?.registrableDomain ?? null,
    publicSuffix: parts?.publicSuffix ?? null,
    subdomain: parts?.subdomain ?? "",
    isIp,
    hasUserinfo: userinfo !== "",
    userinfo,
    isWrittenAsPunycode,
    isMixedScript: hostUnicode.split(".").some(isMixedScript),
    official,
    isShortener: official === null && isShortener(hostAscii),
    lookalike:
      official === null && parts !== null && redirector === null
        ? findLookalike({ ...parts, isWrittenAsPunycode }, names)
        : null,
    officialInPath: official === null ? officialInPathOf(url, names) : null,
    redirector,
  };
}

/**
 * "https://x.cn/?ib.aeonbank.co.jp/…": our domain where a hurried reader looks for it, though the
 * host is someone else's. Percent escapes are undone first, so "%2E" hides nothing.
 */
function officialInPathOf(url: URL, names: OfficialNames): string | null {
  const rest = `${url.pathname}${url.search}${url.hash}`
    .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .toLowerCase();
  for (const official of names.domains) {
    const pattern = new RegExp(`(?<![a-z0-9-])${escapeRegExp(official.registrableDomain)}(?![a-z0-9-])`);
    if (pattern.test(rest)) {
      return official.registrableDomain;
    }
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Relays seen in Japanese phishing (Google Translate was 8.5% of reported URLs in July 2025) and
 * the open redirects of large sites: the link's host is genuine, the page it shows is not.
 */
function redirectorOf(url: URL, host: string): Redirector | null {
  if (host === "translate.goog" || host.endsWith(".translate.goog")) {
    const label = host.slice(0, -".translate.goog".length);
    // Translate writes the target's dots as "-" and its hyphens as "--": www-rakuten--card-co-jp.
    const target =
      label === ""
        ? null
        : label
            .split("--")
            .map((part) => part.replace(/-/g, "."))
            .join("-");
    return { service: "translate.goog", target };
  }
  if (/^translate\.google\.[a-z.]+$/.test(host) || host === "translate.googleusercontent.com") {
    return { service: host, target: targetHostOf(url.searchParams.get("u")) };
  }
  if (/^(?:www\.)?google\.[a-z.]+$/.test(host) && url.pathname === "/url") {
    return { service: host, target: targetHostOf(url.searchParams.get("q") ?? url.searchParams.get("url")) };
  }
  if (["l.facebook.com", "lm.facebook.com", "l.instagram.com", "l.messenger.com"].includes(host)) {
    return { service: host, target: targetHostOf(url.searchParams.get("u")) };
  }
  return null;
}

function targetHostOf(value: string | null): string | null {
  if (value === null || value === "") {
    return null;
  }
  const absolute = schemePattern.test(value) ? value : `http://${value}`;
  return URL.canParse(absolute) ? new URL(absolute).hostname || null : null;
}

/**
 * A sender's address, from "info@rakuten-card.co.jp", "<info@…>" or "名前 <info@…>". The domain
 * is checked against the registry's e-mail domains only: a web domain we never send from is not a
 * sender we know.
 */
export function analyzeEmailAddress(raw: string, registry: ContactRegistry): EmailAnalysis {
  const text = normalizeLinkText(raw.trim()).slice(0, limits.contactLinkLengthMax);
  const address = (/<([^<>]*)>/.exec(text)?.[1] ?? text).replace(/^mailto:/i, "").trim();
  const at = address.lastIndexOf("@");
  const localPart = address.slice(0, at);
  const domainWritten = address.slice(at + 1).replace(/\.$/, "");
  const domainAscii = at <= 0 || /\s/.test(address) ? "" : domainToASCII(domainWritten);
  const parts = domainAscii === "" ? null : parseDomainParts(domainAscii);
  if (parts === null) {
    return { kind: "unparseable", raw: text, official: null };
  }
  const isWrittenAsPunycode = /(?:^|\.)xn--/i.test(domainWritten);
  const official = officialOf(domainAscii, registry.emailDomains);
  const domainUnicode = domainToUnicode(domainAscii) || domainAscii;
  return {
    kind: "parsed",
    raw: text,
    address: `${localPart}@${domainAscii}`,
    domainAscii,
    domainUnicode,
    registrableDomain: parts.registrableDomain,
    isWrittenAsPunycode,
    isMixedScript: domainUnicode.split(".").some(isMixedScript),
    official,
    lookalike:
      official === null ? findLookalike({ ...parts, isWrittenAsPunycode }, officialNamesOf(registry)) : null,
  };
}

// --- Signals -----------------------------------------------------------------------------------

type LinkSignal = Signal<LinkSignalCode>;

const signal = (code: LinkSignalCode, severity: Signal["severity"], excerpt: string, params: SignalParams) =>
  signalOf(code, severity, excerpt, params);

/**
 * The signals of one link, strongest first. An official host gives only `official_domain`: in a
 * message it is info, since a genuine link pasted into a fake message proves nothing.
 * `unknown_domain` is given only when nothing stronger was found, so one link does not count
 * twice; `insecure_link` adds why typing into that page is a risk whoever runs it, as info, so
 * one plain-http link still weighs as one caution.
 */
export function linkSignals(analysis: LinkAnalysis, context: LinkContext): LinkSignal[] {
  if (analysis.kind === "unparseable") {
    return [signal("unparseable_link", "caution", analysis.raw, {})];
  }
  const excerpt = analysis.raw;
  const domain = analysis.hostAscii;
  if (analysis.official !== null) {
    return [
      signal("official_domain", context === "input" ? "official" : "info", excerpt, {
        domain: analysis.hostUnicode,
        purposeJa: analysis.official.purpose.ja,
        purposeEn: analysis.official.purpose.en,
        context,
      }),
    ];
  }
  const found: LinkSignal[] = [];
  if (analysis.hasUserinfo) {
    found.push(signal("userinfo_in_url", "suspicious", excerpt, { domain, shown: analysis.userinfo }));
  }
  if (analysis.isIp) {
    found.push(signal("ip_literal_url", "suspicious", excerpt, { domain }));
  }
  found.push(
    ...lookalikeSignals(
      analysis.lookalike,
      {
        ascii: domain,
        unicode: analysis.hostUnicode,
        registrableDomain: analysis.registrableDomain ?? domain,
      },
      excerpt,
    ),
  );
  if (analysis.officialInPath !== null) {
    found.push(
      signal("official_domain_in_path", "suspicious", excerpt, { domain, official: analysis.officialInPath }),
    );
  }
  if (analysis.isShortener) {
    found.push(signal("url_shortener", "suspicious", excerpt, { domain }));
  }
  if (analysis.redirector !== null) {
    const { service, target } = analysis.redirector;
    found.push(signal("redirector_url", "suspicious", excerpt, { domain: service, target: target ?? "" }));
  }
  found.push(...scriptSignals(analysis, analysis.lookalike?.technique ?? null, excerpt));
  if (!found.some((each) => each.severity === "suspicious")) {
    found.push(signal("unknown_domain", "caution", excerpt, { domain: analysis.hostUnicode }));
  }
  if (analysis.scheme === "http") {
    found.push(signal("insecure_link", "info", excerpt, { domain }));
  }
  return found;
}

/** The signals of a sender's address, or of an address found in a message. */
export function emailSignals(analysis: EmailAnalysis, context: LinkContext): LinkSignal[] {
  if (analysis.kind === "unparseable") {
    return [signal("unparseable_email_address", "caution", analysis.raw, {})];
  }
  const excerpt = analysis.address;
  if (analysis.official !== null) {
    return [
      signal("official_email_domain", context === "input" ? "official" : "info", excerpt, {
        domain: analysis.domainUnicode,
        purposeJa: analysis.official.purpose.ja,
        purposeEn: analysis.official.purpose.en,
        context,
      }),
    ];
  }
  const domain = analysis.domainAscii;
  const found = [
    ...lookalikeSignals(
      analysis.lookalike,
      {
        ascii: domain,
        unicode: analysis.domainUnicode,
        registrableDomain: analysis.registrableDomain ?? domain,
      },
      excerpt,
    ),
    ...scriptSignals(
      {
        hostAscii: domain,
        hostUnicode: analysis.domainUnicode,
        isWrittenAsPunycode: analysis.isWrittenAsPunycode,
        isMixedScript: analysis.isMixedScript,
      },
      analysis.lookalike?.technique ?? null,
      excerpt,
    ),
  ];
  if (found.length === 0) {
    found.push(signal("unknown_email_domain", "caution", excerpt, { domain: analysis.domainUnicode }));
  }
  return found;
}

const unicodeTechniques: ReadonlySet<LookalikeTechnique> = new Set(["idn", "mixed_script", "homoglyph"]);

function lookalikeSignals(
  lookalike: Lookalike | null,
  host: { readonly ascii: string; readonly unicode: string; readonly registrableDomain: string },
  excerpt: string,
): LinkSignal[] {
  if (lookalike === null) {
    return [];
  }
  const { technique, official, shown } = lookalike;
  // A name made of lookalike letters reads as ours in Unicode; only its ASCII form shows the trick.
  const domain = unicodeTechniques.has(technique) ? host.ascii : host.unicode;
  if (technique === "brand_subdomain") {
    return [
      signal("brand_in_subdomain", "suspicious", excerpt, {
        domain,
        official,
        registrableDomain: host.registrableDomain,
      }),
    ];
  }
  const scripts = [...scriptsOf(shown)].filter((script) => script !== "Latin");
  return [
    signal("lookalike_domain", "suspicious", excerpt, {
      domain,
      official,
      technique,
      shown,
      scriptsEn: scripts.map((script) => scriptNames[script]?.en ?? script).join(", "),
      scriptsJa: scripts.map((script) => scriptNames[script]?.ja ?? script).join("・"),
    }),
  ];
}

/** Punycode and mixed scripts, unless the lookalike finding already says how the letters deceive. */
function scriptSignals(
  host: {
    readonly hostAscii: string;
    readonly hostUnicode: string;
    readonly isWrittenAsPunycode: boolean;
    readonly isMixedScript: boolean;
  },
  technique: LookalikeTechnique | null,
  excerpt: string,
): LinkSignal[] {
  if (technique !== null && unicodeTechniques.has(technique)) {
    return [];
  }
  const found: LinkSignal[] = [];
  if (host.isWrittenAsPunycode) {
    found.push(
      signal("punycode_domain", "suspicious", excerpt, { domain: host.hostAscii, unicode: host.hostUnicode }),
    );
  }
  if (host.isMixedScript) {
    const scripts = [
      ...new Set(host.hostUnicode.split(".").flatMap((label) => [...scriptsOf(label)])),
    ].filter((script) => script !== "Latin");
    found.push(
      signal("mixed_script_domain", "suspicious", excerpt, {
        domain: host.hostUnicode,
        ascii: host.hostAscii,
        scriptsEn: scripts.map((script) => scriptNames[script]?.en ?? script).join(", "),
        scriptsJa: scripts.map((script) => scriptNames[script]?.ja ?? script).join("・"),
      }),
    );
  }
  return found;
}

// --- Messages ----------------------------------------------------------------------------------

const scriptNames: Readonly<Record<string, Localized>> = {
  Cyrillic: { ja: "キリル文字", en: "Cyrillic" },
  Greek: { ja: "ギリシャ文字", en: "Greek" },
  Armenian: { ja: "アルメニア文字", en: "Armenian" },
  Cherokee: { ja: "チェロキー文字", en: "Cherokee" },
  Han: { ja: "漢字", en: "Chinese characters" },
  Hiragana: { ja: "ひらがな", en: "Hiragana" },
  Katakana: { ja: "カタカナ", en: "Katakana" },
  Hangul: { ja: "ハングル", en: "Hangul" },
  Bopomofo: { ja: "注音字母", en: "Bopomofo" },
  Other: { ja: "その他の文字", en: "other" },
};

/** How each technique fools the eye, as a clause: "…に似せたドメインです：{ja}" / "…: it {en}". */
const techniqueWords: Readonly<Record<Exclude<LookalikeTechnique, "mixed_script">, Localized>> = {
  homoglyph: {
    ja: "形の似た文字に置き換えています（o の代わりに 0、m の代わりに rn など）",
    en: "swaps in characters that look alike (such as 0 for o, or rn for m)",
  },
  idn: {
    ja: "xn-- で始まる国際化ドメイン名で、表示すると当社の名前に似た文字になります",
    en: "is an internationalized name written as xn--…, which displays as letters that look like ours",
  },
  addition: { ja: "一文字多くなっています", en: "has one extra character" },
  omission: { ja: "一文字抜けています", en: "is missing one character" },
  transposition: { ja: "隣り合う二文字が入れ替わっています", en: "has two neighbouring characters swapped" },
  repetition: { ja: "同じ文字を重ねています", en: "repeats a character" },
  replacement: { ja: "一文字だけ別の文字になっています", en: "has one character changed" },
  vowel_swap: { ja: "母音が一つ違っています", en: "has one vowel changed" },
  hyphenation: {
    ja: "ハイフン（-）を足したり、抜いたり、動かしたりしています",
    en: "adds, removes or moves a hyphen (-)",
  },
  tld_swap: {
    ja: "名前は同じですが、末尾（.co.jp など）が違います",
    en: "uses our name with a different ending",
  },
  dot_omission: {
    ja: "区切りのドット（.）を抜いて続けています",
    en: "runs our name together, dropping a dot",
  },
  plural: { ja: "複数形の s を付け足しています", en: "adds a plural s" },
  brand_word: { ja: "当社の名前に別の単語を付け足しています", en: "adds other words to our name" },
  brand_subdomain: {
    ja: "他人のドメインの前に当社の名前を付けています",
    en: "puts our name in front of someone else's domain",
  },
};

function param(params: SignalParams, name: string): string {
  const value = params[name];
  assert(value !== undefined, `a link signal's message needs the parameter ${name}`);
  return value;
}

function techniqueText(params: SignalParams, language: "ja" | "en"): string {
  const technique = param(params, "technique");
  if (technique === "mixed_script") {
    const scripts = param(params, language === "ja" ? "scriptsJa" : "scriptsEn");
    return language === "ja"
      ? `ラテン文字にそっくりな${scripts === "" ? "別の文字" : scripts}が混ざっています`
      : `uses ${scripts === "" ? "letters from another alphabet" : `${scripts} letters`} that look like Latin ones`;
  }
  const words = techniqueWords[technique as Exclude<LookalikeTechnique, "mixed_script">];
  assert(words !== undefined, `no words for the lookalike technique ${technique}`);
  return words[language];
}

const doNotOpenJa = "リンクは開かず、公式アプリかブックマークからご確認ください。";
const doNotOpenEn = "Do not open it; use our official app or your bookmark instead.";

export const linkReasonMessages: ReasonMessages<LinkSignalCode> = {
  official_domain: {
    ja: (p) =>
      p.context === "in_text"
        ? `メッセージ内のリンク先 ${param(p, "domain")} は当社の公式ドメインです（${param(p, "purposeJa")}）。ただし、本物のリンクが含まれていても、メッセージ全体が本物とは限りません。`
        : `${param(p, "domain")} は当社の公式ドメインです（${param(p, "purposeJa")}）。`,
    en: (p) =>
      p.context === "in_text"
        ? `The link to ${param(p, "domain")} in the message is one of our official domains (${param(p, "purposeEn")}). A genuine link does not make the rest of the message genuine.`
        : `${param(p, "domain")} is one of our official domains (${param(p, "purposeEn")}).`,
  },
  official_email_domain: {
    ja: (p) =>
      `${param(p, "domain")} は当社がメールの送信に使うドメインです（${param(p, "purposeJa")}）。ただし差出人のアドレスは偽装できるため、これだけで本物とは言えません。`,
    en: (p) =>
      `${param(p, "domain")} is a domain we send e-mail from (${param(p, "purposeEn")}). Sender addresses can be forged, so this alone does not prove the e-mail is ours.`,
  },
  lookalike_domain: {
    ja: (p) =>
      `${param(p, "domain")} は当社の「${param(p, "official")}」に似せたドメインです：${techniqueText(p, "ja")}（${param(p, "shown")}）。${doNotOpenJa}`,
    en: (p) =>
      `${param(p, "domain")} is made to look like our “${param(p, "official")}”: it ${techniqueText(p, "en")} (${param(p, "shown")}). ${doNotOpenEn}`,
  },
  brand_in_subdomain: {
    ja: (p) =>
      `${param(p, "domain")} の本当のドメインは ${param(p, "registrableDomain")} です。前に当社の「${param(p, "official")}」を付けて本物に見せかけています。${doNotOpenJa}`,
    en: (p) =>
      `The real domain of ${param(p, "domain")} is ${param(p, "registrableDomain")}; our “${param(p, "official")}” is put in front to make it look genuine. ${doNotOpenEn}`,
  },
  official_domain_in_path: {
    ja: (p) =>
      `このリンクの行き先は ${param(p, "domain")} です。当社の ${param(p, "official")} はアドレスの後ろの部分に書かれているだけで、行き先ではありません。${doNotOpenJa}`,
    en: (p) =>
      `This link goes to ${param(p, "domain")}; our ${param(p, "official")} only appears later in the address and is not where it leads. ${doNotOpenEn}`,
  },
  url_shortener: {
    ja: (p) =>
      `${param(p, "domain")} は短縮URLのサービスで、本当の行き先が見えません。短縮URLは偽サイトへの誘導によく使われます。${doNotOpenJa}`,
    en: (p) =>
      `${param(p, "domain")} is a link shortener, which hides where the link really goes; shorteners are often used to lead to fake sites. ${doNotOpenEn}`,
  },
  ip_literal_url: {
    ja: (p) =>
      `リンク先がドメイン名ではなく、数字の IP アドレス（${param(p, "domain")}）です。企業からの正規のお知らせでは使われない形です。${doNotOpenJa}`,
    en: (p) =>
      `The link goes to a numeric IP address (${param(p, "domain")}) instead of a domain name, which genuine company notices do not use. ${doNotOpenEn}`,
  },
  userinfo_in_url: {
    ja: (p) =>
      `「@」より前の「${param(p, "shown")}」は飾りで、実際の行き先は ${param(p, "domain")} です。${doNotOpenJa}`,
    en: (p) =>
      `The “${param(p, "shown")}” before the “@” is only decoration; the link really goes to ${param(p, "domain")}. ${doNotOpenEn}`,
  },
  punycode_domain: {
    ja: (p) =>
      `${param(p, "domain")} は xn-- で始まる形で書かれた国際化ドメイン名で、実際には「${param(p, "unicode")}」という文字のドメインです。見た目では判断しにくい形です。`,
    en: (p) =>
      `${param(p, "domain")} is an internationalized domain written as xn--…; it stands for “${param(p, "unicode")}”, which is hard to judge by eye.`,
  },
  mixed_script_domain: {
    ja: (p) =>
      `${param(p, "domain")} には、ラテン文字にそっくりな${param(p, "scriptsJa") || "別の文字"}が混ざっています（実際の表記は ${param(p, "ascii")}）。`,
    en: (p) =>
      `${param(p, "domain")} uses ${param(p, "scriptsEn") === "" ? "letters from another alphabet" : `${param(p, "scriptsEn")} letters`} that look like Latin ones (it is really ${param(p, "ascii")}).`,
  },
  redirector_url: {
    ja: (p) =>
      `このリンクは ${param(p, "domain")}（Google 翻訳などの中継サービス）を経由して、本当の行き先${p.target ? `（${p.target}）` : ""}を隠しています。${doNotOpenJa}`,
    en: (p) =>
      `This link passes through ${param(p, "domain")}, a relay service such as Google Translate, which hides where it really goes${p.target ? ` (${p.target})` : ""}. ${doNotOpenEn}`,
  },
  insecure_link: {
    ja: (p) =>
      `${param(p, "domain")} へのリンクは暗号化されていない http:// で、入力した情報が途中で読まれるおそれがあります。`,
    en: (p) =>
      `The link to ${param(p, "domain")} uses unencrypted http://, so anything typed there can be read on the way.`,
  },
  unknown_domain: {
    ja: (p) => `${param(p, "domain")} は当社の公式ドメインではありません。${doNotOpenJa}`,
    en: (p) => `${param(p, "domain")} is not one of our domains. ${doNotOpenEn}`,
  },
  unknown_email_domain: {
    ja: (p) => `差出人のドメイン ${param(p, "domain")} は、当社がメールの送信に使うドメインではありません。`,
    en: (p) => `The sender's domain ${param(p, "domain")} is not one we send e-mail from.`,
  },
  unparseable_link: {
    ja: () => `リンクの形が崩れていて、行き先を確かめられません。${doNotOpenJa}`,
    en: () => `This link is malformed, so where it leads cannot be checked. ${doNotOpenEn}`,
  },
  unparseable_email_address: {
    ja: () => "メールアドレスの形になっていないため、差出人を確かめられません。",
    en: () => "This is not a well-formed e-mail address, so the sender cannot be checked.",
  },
};
