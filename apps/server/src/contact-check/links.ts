/**
 * Finding links in a text the way a phone does: an SMS turns "rakuten-cards.com/login" into a
 * link without any "https://", so the checker must see bare domains too, and everything written
 * to slip past filters (full-width dots, "hxxp", "[.]"). The pieces found here are analysed by
 * `domains.ts`; this file only finds them.
 */
import { parse } from "tldts";
import { limits } from "../config/limits.ts";

/**
 * Full-width forms, invisible characters and defanged spellings must not hide a link. NFKC turns
 * "ｒａｋｕｔｅｎ．ｃｏ．ｊｐ／" into ASCII, as the browser would when it opens it. Defanged forms
 * ("hxxps://evil[.]example") are written to be copied back into a browser, so they are read as
 * the link they stand for.
 */
export function normalizeLinkText(text: string): string {
  return (
    text
      .normalize("NFKC")
      .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, "")
      .replace(/\bhxxp(s?)(?=:\/\/|\[:\])/gi, "http$1")
      // Japanese forums drop the h ("ttps://…") so that the text is not turned into a link.
      .replace(/(?<![a-z])(ttps?)(?=:\/\/)/gi, "h$1")
      .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, ".")
      .replace(/\[:\]/g, ":")
      .replace(/\[\/\]/g, "/")
      // An ideographic full stop between Latin letters is a dot to the browser (UTS-46), never
      // the end of a Japanese sentence, which would be followed by Japanese.
      .replace(/(?<=[a-z0-9-])\u3002(?=[a-z0-9])/gi, ".")
  );
}

/**
 * Japanese text has no spaces, so a domain may touch it on either side ("ログインはexample.comから").
 * A label is therefore either all Japanese or all other letters; a Japanese run in front of a
 * Latin label is text, not part of the domain. The cost is that a label mixing the two
 * ("楽天card.jp") is found as "card.jp"; no card company uses such names.
 */
const japanese = "\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}";
const otherLetter = `(?:(?![${japanese}])[\\p{L}\\p{N}\\p{M}])`;
const japaneseLabel = `[${japanese}]{1,63}`;
const otherLabel = `${otherLetter}(?:(?:${otherLetter}|-){0,61}${otherLetter})?`;
const label = `(?:${japaneseLabel}|${otherLabel})`;
/** The top-level label is Latin or punycode; what follows it may be Japanese text. */
const topLevel = "(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59})(?![a-z0-9-])";
const domain = `(?:${label}\\.)+${topLevel}`;
const ipv4 = "(?<![\\d.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\d.]*\\d)";
const port = "(?::\\d{1,5})?";
/** A path stops at white space, quotes, brackets and Japanese text, which a URL in an SMS never holds. */
const pathChar = `[^\\s<>"'\`「」『』()（）、。${japanese}]`;
const path = `(?:[/?#]${pathChar}*)?`;
const userinfoChar = `[^\\s/?#<>"'\`「」『』()（）、。${japanese}]`;
const userinfo = `${userinfoChar}{1,256}@`;

/** "https://…", "http://[2001:db8::1]/", "ftp://…": any scheme, with any host the browser would accept. */
const schemeLink = `(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}://(?:${userinfo})?(?:\\[[0-9a-f:.]+\\]|${domain}|${ipv4}|[a-z0-9.-]+|(?:[\\p{L}\\p{N}\\p{M}-]+\\.)+[\\p{L}\\p{N}\\p{M}-]+)${port}${path}`;
/** "rakuten-card.co.jp@evil.example/login": the user@host trick without a scheme needs a path to be told from an e-mail address. */
const bareUserinfoLink = `(?<!${userinfoChar})${userinfo}(?:${domain}|${ipv4})${port}[/?#]${pathChar}*`;
/**
 * A bare domain or IP address. One right before "@", or right after "name@", belongs to an e-mail
 * address; a lone "@example.com" is the origin line of a one-time code (WebOTP) and is a domain.
 */
const bareLink = `(?<!${otherLetter}|[._-]|[a-z0-9._%+-]@)(?:${domain}|${ipv4})(?!@)${port}${path}`;

const linkPattern = new RegExp(`${schemeLink}|${bareUserinfoLink}|${bareLink}`, "giu");
const emailPattern = new RegExp(`(?<!${otherLetter}|[._%+-])[a-z0-9._%+-]{1,64}@${domain}(?![/?#@])`, "giu");

/** Special-use names (RFC 2606, RFC 6761) that are not in the public-suffix list but are real in demos and tests. */
const reservedTopLevels = new Set(["example", "test", "invalid", "localhost"]);

/**
 * Every link-like piece of a text, each found once and in order of first appearance: scheme URLs,
 * "www." and bare domains, IP addresses and defanged forms, given back in their readable form
 * ("hxxps://evil[.]example" is found as "https://evil.example"). A URL's host is not found again
 * as a domain, and an e-mail address is not a link (see `findEmailAddresses`).
 */
export function findLinks(text: string): string[] {
  const links: string[] = [];
  for (const match of normalizeLinkText(text).matchAll(linkPattern)) {
    const link = trimTrailing(match[0]);
    if (!links.includes(link) && isLinkLike(link)) {
      links.push(link);
      if (links.length === limits.contactLinksPerTextMax) {
        break;
      }
    }
  }
  return links;
}

/** Every e-mail address in a text ("差出人: info@rakuten-card.co.jp"), each once, in order. */
export function findEmailAddresses(text: string): string[] {
  const addresses: string[] = [];
  for (const match of normalizeLinkText(text).matchAll(emailPattern)) {
    const address = trimTrailing(match[0]);
    if (!addresses.includes(address) && hasKnownTopLevel(address.slice(address.lastIndexOf("@") + 1))) {
      addresses.push(address);
      if (addresses.length === limits.contactEmailAddressesPerTextMax) {
        break;
      }
    }
  }
  return addresses;
}

/** Sentence punctuation after a link belongs to the sentence ("…/login."). */
function trimTrailing(link: string): string {
  return link.replace(/[.,!?:;'"’)\]]+$/, "");
}

/**
 * A scheme makes anything a link. Without one, "file.txt" or "Thank you.Please" would look like
 * domains, so a bare name counts only under a top-level domain that exists.
 */
function isLinkLike(link: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(link)) {
    return true;
  }
  const host = link
    .replace(/^[^/?#]*@/, "")
    .replace(/[/?#].*$/s, "")
    .replace(/:\d+$/, "");
  return /^[\d.]+$/.test(host) || hasKnownTopLevel(host);
}

function hasKnownTopLevel(host: string): boolean {
  const parsed = parse(host.toLowerCase(), { allowPrivateDomains: true });
  const topLevel = host.slice(host.lastIndexOf(".") + 1).toLowerCase();
  return parsed.isIcann === true || parsed.isPrivate === true || reservedTopLevels.has(topLevel);
}
