import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { limits } from "../config/limits.ts";
import { propertyParameters } from "../platform/property-parameters.ts";
import {
  analyzeEmailAddress,
  analyzeLink,
  emailSignals,
  type LinkAnalysis,
  type LinkContext,
  type LinkSignalCode,
  linkReasonMessages,
  linkSignals,
} from "./domains.ts";
import type { ContactRegistry, RegistryDomain } from "./registry-types.ts";
import type { Signal } from "./signal.ts";

function domain(name: string, includeSubdomains: boolean, ja: string, en: string): RegistryDomain {
  return {
    domain: name,
    includeSubdomains,
    purpose: { ja, en },
    provenance: { source: "test fixture", checkedOn: "2025-01-01" },
  };
}

function registryOf(
  webDomains: readonly RegistryDomain[],
  emailDomains: readonly RegistryDomain[],
  domainTokens: readonly string[],
  brandNames: readonly string[],
): ContactRegistry {
  return {
    issuer: {
      id: "test",
      name: { ja: brandNames[0] ?? "", en: brandNames[1] ?? "" },
      brandNames,
      domainTokens,
      country: "JP",
      timeZone: "Asia/Tokyo",
      holidayCalendar: "JP",
      closedDates: [],
    },
    phones: [],
    smsSenders: [],
    emailDomains,
    webDomains,
    apps: [],
    channels: [],
  };
}

const rakuten = registryOf(
  [
    domain("rakuten-card.co.jp", true, "会員サイト e-NAVI", "member site e-NAVI"),
    domain("rakuten.co.jp", true, "楽天グループ", "Rakuten group"),
  ],
  [domain("mail.rakuten-card.co.jp", false, "ご利用のお知らせ", "card notices")],
  ["rakuten"],
  ["楽天カード", "Rakuten Card"],
);

const saison = registryOf(
  [domain("saisoncard.co.jp", true, "公式サイト", "official site")],
  [],
  ["saison"],
  [],
);
const aeon = registryOf([domain("aeonbank.co.jp", true, "公式サイト", "official site")], [], ["aeon"], []);
const demo = registryOf(
  [
    domain("mimamori-card.example", true, "会員サイト", "member site"),
    domain("secure.mimamori-pay.example", false, "決済画面", "payment page"),
  ],
  [domain("mimamori-card.example", true, "お知らせ", "notices")],
  ["mimamori"],
  ["みまもりカード", "Mimamori Card"],
);

function signalsOf(
  raw: string,
  registry: ContactRegistry = rakuten,
  context: LinkContext = "input",
): Signal[] {
  return linkSignals(analyzeLink(raw, registry), context);
}

function codesOf(raw: string, registry: ContactRegistry = rakuten, context: LinkContext = "input"): string[] {
  return signalsOf(raw, registry, context).map((signal) => signal.code);
}

function parsed(analysis: LinkAnalysis): Extract<LinkAnalysis, { kind: "parsed" }> {
  assert.equal(analysis.kind, "parsed");
  return analysis as Extract<LinkAnalysis, { kind: "parsed" }>;
}

describe("analyzeLink and linkSignals: the phishing links of issue #5", () => {
  test("rakuten-cards.com is a lookalike of rakuten-card.co.jp (a plural)", () => {
    const [signal] = signalsOf("https://rakuten-cards.com/login");
    assert.equal(signal?.code, "lookalike_domain");
    assert.equal(signal?.severity, "suspicious");
    assert.equal(signal?.params.official, "rakuten-card.co.jp");
    assert.ok(["plural", "addition"].includes(signal?.params.technique ?? ""), signal?.params.technique);
  });

  test("our domain in front of a foreign .cn domain is brand_in_subdomain", () => {
    const [signal] = signalsOf("https://rakuten-card.co.jp.abcde.cn/");
    assert.equal(signal?.code, "brand_in_subdomain");
    assert.equal(signal?.severity, "suspicious");
    assert.equal(signal?.params.registrableDomain, "abcde.cn");
  });

  test("a shortener link is url_shortener", () => {
    assert.deepEqual(codesOf("https://rb.gy/abc"), ["url_shortener"]);
    assert.deepEqual(codesOf("cutt.ly/xyz"), ["url_shortener"]);
  });

  test("our member site is official, with what it is for", () => {
    const signals = signalsOf("https://www.rakuten-card.co.jp/e-navi/");
    assert.deepEqual(
      signals.map((signal) => [signal.code, signal.severity]),
      [["official_domain", "official"]],
    );
    assert.equal(signals[0]?.params.purposeJa, "会員サイト e-NAVI");
    assert.equal(signals[0]?.params.purposeEn, "member site e-NAVI");
  });

  test("a Cyrillic letter in our name is a homoglyph in mixed scripts", () => {
    const [signal] = signalsOf("https://rаkuten-card.co.jp/");
    assert.equal(signal?.code, "lookalike_domain");
    assert.ok(["mixed_script", "homoglyph"].includes(signal?.params.technique ?? ""));
    assert.equal(signal?.params.domain, "xn--rkuten-card-yij.co.jp", "the ASCII form shows the trick");
  });

  test("the same name written in xn-- form is idn", () => {
    const [signal] = signalsOf("https://xn--rkuten-card-yij.co.jp/");
    assert.equal(signal?.code, "lookalike_domain");
    assert.equal(signal?.params.technique, "idn");
  });

  test("an IP address link is ip_literal_url, and http on top is insecure", () => {
    assert.deepEqual(codesOf("http://203.0.113.5/login"), ["ip_literal_url", "insecure_link"]);
    assert.deepEqual(codesOf("http://[2001:db8::1]/login"), ["ip_literal_url", "insecure_link"]);
    assert.equal(parsed(analyzeLink("http://3232235777/", rakuten)).isIp, true);
  });

  test("our domain before an @ is userinfo_in_url, and the real host is named", () => {
    const [signal] = signalsOf("https://rakuten-card.co.jp@evil.example/");
    assert.equal(signal?.code, "userinfo_in_url");
    assert.equal(signal?.params.domain, "evil.example");
    assert.equal(signal?.params.shown, "rakuten-card.co.jp");
    assert.equal(codesOf("rakuten-card.co.jp@evil.example/login")[0], "userinfo_in_url");
  });

  test("saisoncardco.jp is a dot omission of saisoncard.co.jp", () => {
    const [signal] = signalsOf("https://saisoncardco.jp/", saison);
    assert.equal(signal?.code, "lookalike_domain");
    assert.equal(signal?.params.technique, "dot_omission");
    assert.equal(signal?.params.official, "saisoncard.co.jp");
  });

  test("aeonbank.co.jp in the query of a .cn link is official_domain_in_path", () => {
    const [signal] = signalsOf("https://x.cn/?ib.aeonbank.co.jp/", aeon);
    assert.equal(signal?.code, "official_domain_in_path");
    assert.equal(signal?.params.official, "aeonbank.co.jp");
    assert.equal(codesOf("https://x.cn/%69b%2Eaeonbank%2Eco%2Ejp/", aeon)[0], "official_domain_in_path");
  });
});

describe("analyzeLink: what it reads from a link", () => {
  test("the parts of a link are read as the browser reads them", () => {
    const analysis = parsed(analyzeLink("HTTPS://WWW.Rakuten-Cards.com:443/login?x=1", rakuten));
    assert.equal(analysis.scheme, "https");
    assert.equal(analysis.hostAscii, "www.rakuten-cards.com");
    assert.equal(analysis.registrableDomain, "rakuten-cards.com");
    assert.equal(analysis.publicSuffix, "com");
    assert.equal(analysis.subdomain, "www");
    assert.equal(analysis.isIp, false);
    assert.equal(analysis.hasUserinfo, false);
    assert.equal(analysis.official, null);
    assert.equal(parsed(analyzeLink("rakuten-cards.com/login", rakuten)).scheme, null);
    assert.equal(
      parsed(analyzeLink("https://rаkuten-card.co.jp/", rakuten)).hostUnicode,
      "rаkuten-card.co.jp",
    );
  });

  test("the demo issuer's .example domain, outside the public-suffix list, is official and has lookalikes", () => {
    assert.deepEqual(codesOf("https://mimamori-card.example/help", demo), ["official_domain"]);
    assert.deepEqual(codesOf("https://www.mimamori-card.example/", demo), ["official_domain"]);
    assert.deepEqual(codesOf("https://mimamori-cards.example/", demo), ["lookalike_domain"]);
    assert.deepEqual(codesOf("https://mimamori-card.example.evil.test/", demo), ["brand_in_subdomain"]);
  });

  test("a subdomain the registry does not list is not official, though it is not a lookalike either", () => {
    assert.deepEqual(codesOf("https://secure.mimamori-pay.example/", demo), ["official_domain"]);
    const analysis = parsed(analyzeLink("https://other.mimamori-pay.example/", demo));
    assert.equal(analysis.official, null);
    assert.equal(analysis.lookalike, null);
    assert.deepEqual(codesOf("https://other.mimamori-pay.example/", demo), ["unknown_domain"]);
  });

  test("an official link is only official: http or a path change nothing, and in a message it is info", () => {
    assert.deepEqual(codesOf("http://www.rakuten-card.co.jp/x?u=evil.example"), ["official_domain"]);
    const [signal] = signalsOf("https://www.rakuten-card.co.jp/e-navi/", rakuten, "in_text");
    assert.equal(signal?.severity, "info");
    assert.equal(signal?.params.context, "in_text");
  });

  test("someone else's domain with nothing else against it is unknown_domain, a caution", () => {
    const signals = signalsOf("https://www.google.com/");
    assert.deepEqual(
      signals.map((signal) => [signal.code, signal.severity]),
      [["unknown_domain", "caution"]],
    );
    assert.deepEqual(codesOf("http://example.com/"), ["unknown_domain", "insecure_link"]);
  });

  test("what no browser could open is unparseable_link", () => {
    for (const raw of ["https://", "http://ht!tp/", "https://exa mple.com/", "http://[zz]/"]) {
      assert.deepEqual(codesOf(raw), ["unparseable_link"], raw);
    }
  });

  test("translation relays and open redirects are redirector_url, with the target they hide", () => {
    const [relay] = signalsOf("https://www-rakuten--card-co-jp.translate.goog/e-navi?_x_tr_sl=auto");
    assert.equal(relay?.code, "redirector_url");
    assert.equal(relay?.params.domain, "translate.goog");
    assert.equal(relay?.params.target, "www.rakuten-card.co.jp");
    const [google] = signalsOf("https://www.google.com/url?q=https://evil.example/login");
    assert.equal(google?.code, "redirector_url");
    assert.equal(google?.params.target, "evil.example");
  });

  test("an xn-- name is punycode_domain and a Latin-Cyrillic name mixed_script_domain, even when they imitate nothing", () => {
    assert.deepEqual(codesOf("https://xn--r8jz45g.jp/"), ["punycode_domain"]);
    assert.deepEqual(codesOf("https://例え.jp/"), ["unknown_domain"]);
    const [mixed] = signalsOf("https://gооgle.com/");
    assert.equal(mixed?.code, "mixed_script_domain");
    assert.equal(mixed?.params.scriptsEn, "Cyrillic");
  });

  test("defanged and full-width links are read as the link they stand for", () => {
    assert.deepEqual(codesOf("hxxps://rakuten-cards[.]com/login"), ["lookalike_domain"]);
    assert.deepEqual(codesOf("ｗｗｗ．ｒａｋｕｔｅｎ－ｃａｒｄ．ｃｏ．ｊｐ"), ["official_domain"]);
  });

  test(`a link is read from its first ${limits.contactLinkLengthMax} characters, so padding hides nothing`, () => {
    const raw = `https://rakuten-card.co.jp.abcde.cn/${"a".repeat(10_000)}`;
    const analysis = analyzeLink(raw, rakuten);
    assert.equal(analysis.raw.length, limits.contactLinkLengthMax);
    assert.equal(linkSignals(analysis, "input")[0]?.code, "brand_in_subdomain");
  });

  test("any path under any subdomain of an official domain that includes subdomains is official", (t) => {
    const parameters = propertyParameters(300);
    const seed = parameters.seed ?? Date.now() % 2_147_483_647;
    t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
    fc.assert(
      fc.property(
        fc.array(label, { maxLength: 3 }),
        fc.constantFrom("rakuten-card.co.jp", "rakuten.co.jp"),
        fc.webPath(),
        fc.constantFrom("https://", "http://", ""),
        (labels, base, path, scheme) => {
          const host = [...labels, base].join(".");
          const signals = linkSignals(analyzeLink(`${scheme}${host}${path}`, rakuten), "input");
          assert.deepEqual(
            signals.map((signal) => signal.code),
            ["official_domain"],
            host,
          );
        },
      ),
      { ...parameters, seed },
    );
  });
});

describe("analyzeEmailAddress and emailSignals", () => {
  test("an address on our sending domain is official; in a message it is only info", () => {
    const signals = emailSignals(analyzeEmailAddress("info@mail.rakuten-card.co.jp", rakuten), "input");
    assert.deepEqual(
      signals.map((signal) => [signal.code, signal.severity]),
      [["official_email_domain", "official"]],
    );
    const inText = emailSignals(analyzeEmailAddress("info@mail.rakuten-card.co.jp", rakuten), "in_text");
    assert.equal(inText[0]?.severity, "info");
  });

  test("a display name and angle brackets are read past", () => {
    const analysis = analyzeEmailAddress("楽天カード <info@mail.rakuten-card.co.jp>", rakuten);
    assert.equal(analysis.official?.domain, "mail.rakuten-card.co.jp");
  });

  test("a web domain we never send from is not an official sender", () => {
    const codes = emailSignals(analyzeEmailAddress("info@www.rakuten-card.co.jp", rakuten), "input").map(
      (signal) => signal.code,
    );
    assert.deepEqual(codes, ["unknown_email_domain"]);
  });

  test("a sender on a lookalike domain is lookalike_domain", () => {
    const [signal] = emailSignals(analyzeEmailAddress("info@rakuten-card-mail.com", rakuten), "input");
    assert.equal(signal?.code, "lookalike_domain");
    assert.equal(signal?.params.technique, "brand_word");
  });

  test("a free-mail sender is unknown, and a broken address unparseable", () => {
    const codes = (raw: string): string[] =>
      emailSignals(analyzeEmailAddress(raw, rakuten), "input").map((signal) => signal.code);
    assert.deepEqual(codes("rakuten.card.support@gmail.com"), ["unknown_email_domain"]);
    for (const raw of ["no-at-sign", "@rakuten-card.co.jp", "a b@example.com", "x@localhost"]) {
      assert.deepEqual(codes(raw), ["unparseable_email_address"], raw);
    }
  });
});

describe("linkReasonMessages", () => {
  /** Inputs that together produce every link signal code. */
  const corpus: readonly Signal<LinkSignalCode>[] = [
    ...[
      "https://www.rakuten-card.co.jp/e-navi/",
      "https://rakuten-cards.com/login",
      "https://rakuten-card.co.jp.abcde.cn/",
      "https://x.cn/?ib.rakuten.co.jp/",
      "https://rb.gy/abc",
      "http://203.0.113.5/login",
      "https://rakuten-card.co.jp@evil.example/",
      "https://xn--r8jz45g.jp/",
      "https://gооgle.com/",
      "https://www-rakuten--card-co-jp.translate.goog/",
      "https://www.google.com/",
      "https://",
      "https://rаkuten-card.co.jp/",
      "https://xn--rkuten-card-yij.co.jp/",
      "https://saisoncardco.jp",
    ].flatMap((raw) => [
      ...linkSignals(analyzeLink(raw, rakuten), "input"),
      ...linkSignals(analyzeLink(raw, saison), "in_text"),
    ]),
    ...["info@mail.rakuten-card.co.jp", "x@gmail.com", "broken"].flatMap((raw) =>
      emailSignals(analyzeEmailAddress(raw, rakuten), "input"),
    ),
  ];

  test("every code has a message in Japanese and English, filled from its own parameters", () => {
    const produced = new Set(corpus.map((signal) => signal.code));
    assert.deepEqual([...produced].sort(), Object.keys(linkReasonMessages).sort());
    for (const signal of corpus) {
      for (const language of ["ja", "en"] as const) {
        const message = linkReasonMessages[signal.code][language](signal.params);
        assert.ok(message.length > 10, `${signal.code}/${language}`);
        assert.doesNotMatch(message, /undefined|null|\$\{/, `${signal.code}/${language}: ${message}`);
      }
    }
  });

  test("a lookalike is explained by its technique in plain words, showing the imitating part", () => {
    const [plural] = signalsOf("https://rakuten-cards.com/login");
    assert.ok(plural !== undefined);
    assert.match(linkReasonMessages.lookalike_domain.ja(plural.params), /複数形の s.*（rakuten-cards）/);
    assert.match(linkReasonMessages.lookalike_domain.en(plural.params), /adds a plural s \(rakuten-cards\)/);
    const [added] = signalsOf("https://rakuten-cardx.co.jp/");
    assert.ok(added !== undefined);
    assert.match(linkReasonMessages.lookalike_domain.ja(added.params), /一文字多く/);
    const [cyrillic] = signalsOf("https://rаkuten-card.co.jp/");
    assert.ok(cyrillic !== undefined);
    assert.match(
      linkReasonMessages.lookalike_domain.en(cyrillic.params),
      /uses Cyrillic letters that look like Latin ones/,
    );
    assert.match(linkReasonMessages.lookalike_domain.ja(cyrillic.params), /キリル文字/);
  });

  test("an official link found in a message says it does not vouch for the message", () => {
    const [signal] = signalsOf("https://www.rakuten-card.co.jp/", rakuten, "in_text");
    assert.ok(signal !== undefined);
    assert.match(linkReasonMessages.official_domain.ja(signal.params), /メッセージ全体が本物とは限りません/);
    assert.match(
      linkReasonMessages.official_domain.en(signal.params),
      /does not make the rest of the message genuine/,
    );
  });
});
