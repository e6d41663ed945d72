import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { propertyParameters } from "../platform/property-parameters.ts";
import { parseDomainParts } from "./domains.ts";
import {
  type CandidateHost,
  classifyEdit,
  type DomainParts,
  findLookalike,
  isMixedScript,
  type Lookalike,
  type OfficialNames,
  skeletonOf,
} from "./lookalike.ts";

function partsOf(host: string): DomainParts {
  const parts = parseDomainParts(host);
  assert.notEqual(parts, null, `${host} has a registrable domain`);
  return parts as DomainParts;
}

const officialDomains = [
  "rakuten-card.co.jp",
  "rakuten.co.jp",
  "saisoncard.co.jp",
  "aeonbank.co.jp",
  "americanexpress.com",
  "smbc.co.jp",
  "mimamori-card.example",
];

const officials: OfficialNames = {
  domains: officialDomains.map(partsOf),
  domainTokens: ["rakuten", "saison", "smbc", "mimamori"],
  brandNames: ["楽天カード", "Rakuten Card", "セゾンカード"],
};

/** Hosts reach the finder parsed, as domains.ts hands them over: ASCII, punycode for IDN. */
function lookalikeOf(host: string): Lookalike | null {
  const ascii = new URL(`http://${host}`).hostname;
  return findLookalike({ ...partsOf(ascii), isWrittenAsPunycode: /(?:^|\.)xn--/.test(host) }, officials);
}

describe("findLookalike: the techniques seen in card phishing", () => {
  const cases: readonly [string, Lookalike["technique"], string][] = [
    ["rakuten-cards.com", "plural", "rakuten-card.co.jp"],
    ["rakutens-card.com", "plural", "rakuten-card.co.jp"],
    ["rakuten-cardx.co.jp", "addition", "rakuten-card.co.jp"],
    ["rakuten-crd.co.jp", "omission", "rakuten-card.co.jp"],
    ["rakuetn-card.co.jp", "transposition", "rakuten-card.co.jp"],
    ["rakkuten-card.co.jp", "repetition", "rakuten-card.co.jp"],
    ["rakuten-cars.co.jp", "replacement", "rakuten-card.co.jp"],
    ["smbx.co.jp", "replacement", "smbc.co.jp"],
    ["rakutan-card.co.jp", "vowel_swap", "rakuten-card.co.jp"],
    ["rakutencard.co.jp", "hyphenation", "rakuten-card.co.jp"],
    ["raku-ten-card.com", "hyphenation", "rakuten-card.co.jp"],
    ["rakutenc-ard.com", "hyphenation", "rakuten-card.co.jp"],
    ["rakuten-card.com", "tld_swap", "rakuten-card.co.jp"],
    ["rakuten-card.jp", "tld_swap", "rakuten-card.co.jp"],
    ["saisoncardco.jp", "dot_omission", "saisoncard.co.jp"],
    ["saisoncardco.com", "dot_omission", "saisoncard.co.jp"],
    ["rakuten-card-co-jp.com", "dot_omission", "rakuten-card.co.jp"],
    ["rakuten-card-login.com", "brand_word", "rakuten-card.co.jp"],
    ["smbc-vpass1234.com", "brand_word", "smbc.co.jp"],
    ["myrakuten-support.net", "brand_word", "rakuten.co.jp"],
    ["rakutan-login.com", "vowel_swap", "rakuten"],
    ["rakuten-card.co.jp.abcde.cn", "brand_subdomain", "rakuten-card.co.jp"],
    ["www.saisoncard.co.jp.xxx.us", "brand_subdomain", "saisoncard.co.jp"],
    ["rakuten.co.jp-cookiespost.jscss.info", "brand_subdomain", "rakuten.co.jp"],
    ["www-americanexpress-com.xxx.shop", "brand_subdomain", "americanexpress.com"],
    ["smbc.co.ip.xxx.com", "brand_subdomain", "smbc.co.jp"],
    ["secure-rakuten.login.example", "brand_subdomain", "rakuten.co.jp"],
    ["rakuten-carcl.com", "homoglyph", "rakuten-card.co.jp"],
    ["rnimamori-card.example", "homoglyph", "mimamori-card.example"],
    ["ame1icanexpress.com", "replacement", "americanexpress.com"],
    ["americanexxpress.com", "repetition", "americanexpress.com"],
    ["saisonca1d.co.jp", "replacement", "saisoncard.co.jp"],
    ["rakuten-carb.co.jp", "replacement", "rakuten-card.co.jp"],
    ["sa1soncard.co.jp", "homoglyph", "saisoncard.co.jp"],
    ["rаkuten-card.co.jp", "mixed_script", "rakuten-card.co.jp"],
    ["xn--rkuten-card-yij.co.jp", "idn", "rakuten-card.co.jp"],
    ["rаkuten-cards.com", "mixed_script", "rakuten-card.co.jp"],
    ["räkuten-card.co.jp", "homoglyph", "rakuten-card.co.jp"],
    ["楽天カード-ログイン.com", "brand_word", "楽天カード"],
  ];
  for (const [host, technique, official] of cases) {
    test(`${host} is reported as ${technique} of ${official}`, () => {
      const found = lookalikeOf(host);
      assert.equal(found?.technique, technique, JSON.stringify(found));
      assert.equal(found?.official, official);
    });
  }

  test("the finding shows the imitating part as a reader sees it", () => {
    assert.equal(lookalikeOf("rakuten-cards.com")?.shown, "rakuten-cards");
    assert.equal(lookalikeOf("xn--rkuten-card-yij.co.jp")?.shown, "rаkuten-card");
    assert.equal(lookalikeOf("rakuten-card.co.jp.abcde.cn")?.shown, "rakuten-card.co.jp");
  });
});

describe("findLookalike: no false alarms", () => {
  test("ordinary domains people meet every day are not lookalikes", () => {
    for (const host of [
      "google.com",
      "www.google.co.jp",
      "amazon.co.jp",
      "yahoo.co.jp",
      "docomo.ne.jp",
      "nttdocomo.co.jp",
      "example.com",
      "line.me",
      "apple.com",
      "microsoft.com",
      "mercari.com",
      "paypay.ne.jp",
      "softbank.jp",
      "au.com",
      "kddi.com",
      "nhk.or.jp",
      "rakus.co.jp",
      "sony.co.jp",
      "mizuhobank.co.jp",
      "japanpost.jp",
      "sagawa-exp.co.jp",
      "github.com",
      "wikipedia.org",
      "zozo.jp",
      "uniqlo.com",
      "jcb.co.jp",
      "maison.fr",
      "card.example.co.jp",
    ]) {
      assert.equal(lookalikeOf(host), null, host);
    }
  });

  test("an official domain and every subdomain of an official registrable domain are never lookalikes", () => {
    for (const host of [
      ...officialDomains,
      "www.rakuten-card.co.jp",
      "mail.rakuten-card.co.jp",
      "rakuten.rakuten.co.jp",
      "login.mimamori-card.example",
    ]) {
      assert.equal(lookalikeOf(host), null, host);
    }
  });

  test("short official names are not matched by every word one letter away", () => {
    const short: OfficialNames = { domains: [partsOf("jcb.co.jp")], domainTokens: ["jcb"], brandNames: [] };
    for (const host of ["jb.com", "jcc.co.jp", "ajcbx.com", "icb.jp", "jcom.co.jp"]) {
      assert.equal(findLookalike({ ...partsOf(host), isWrittenAsPunycode: false }, short), null, host);
    }
    assert.equal(
      findLookalike({ ...partsOf("jcb-login.com"), isWrittenAsPunycode: false }, short)?.technique,
      "brand_word",
    );
  });
});

describe("findLookalike: every single edit of an official name is caught", () => {
  type Mutation = "addition" | "omission" | "transposition" | "repetition" | "hyphenation";
  const mutations: readonly Mutation[] = [
    "addition",
    "omission",
    "transposition",
    "repetition",
    "hyphenation",
  ];
  const suffixes = ["com", "co.jp", "jp", "net", "cn", "shop", "top", "info", "example"];
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

  function mutate(label: string, mutation: Mutation, at: number, char: string): string {
    const index = at % (label.length + 1);
    switch (mutation) {
      case "addition":
        return `${label.slice(0, index)}${char}${label.slice(index)}`;
      case "omission":
        return `${label.slice(0, index % label.length)}${label.slice((index % label.length) + 1)}`;
      case "transposition": {
        const i = index % (label.length - 1);
        return `${label.slice(0, i)}${label[i + 1]}${label[i]}${label.slice(i + 2)}`;
      }
      case "repetition": {
        const i = index % label.length;
        return `${label.slice(0, i + 1)}${label[i]}${label.slice(i + 1)}`;
      }
      case "hyphenation": {
        const hyphen = label.indexOf("-");
        return hyphen !== -1 && index % 2 === 0
          ? `${label.slice(0, hyphen)}${label.slice(hyphen + 1)}`
          : `${label.slice(0, index)}-${label.slice(index)}`;
      }
    }
  }

  const isValidLabel = (label: string): boolean => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label);

  test("addition, omission, transposition, repetition and hyphenation of each official label, under any suffix", (t) => {
    const parameters = propertyParameters(2_000);
    const seed = parameters.seed ?? Date.now() % 2_147_483_647;
    t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
    fc.assert(
      fc.property(
        fc.constantFrom(...officials.domains),
        fc.constantFrom(...mutations),
        fc.nat(100),
        fc.constantFrom(...alphabet),
        fc.constantFrom(...suffixes),
        (official, mutation, at, char, suffix) => {
          const label = mutate(official.label, mutation, at, char);
          fc.pre(label !== official.label && isValidLabel(label));
          const host = `${label}.${suffix}`;
          fc.pre(!officials.domains.some((each) => each.registrableDomain === host));
          const found = findLookalike({ ...partsOf(host), isWrittenAsPunycode: false }, officials);
          assert.notEqual(found, null, `${host} (${mutation} of ${official.registrableDomain}) is reported`);
          assert.equal(found?.official, official.registrableDomain, host);
        },
      ),
      { ...parameters, seed },
    );
  });

  test("an official domain under an official suffix, with any subdomain, is never reported", (t) => {
    const parameters = propertyParameters(500);
    const seed = parameters.seed ?? Date.now() % 2_147_483_647;
    t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
    const subdomain = fc.stringMatching(/^[a-z0-9]{1,10}(?:\.[a-z0-9]{1,10}){0,2}$/);
    fc.assert(
      fc.property(fc.constantFrom(...officialDomains), fc.option(subdomain), (domain, prefix) => {
        const host = prefix === null ? domain : `${prefix}.${domain}`;
        const candidate: CandidateHost = { ...partsOf(host), isWrittenAsPunycode: false };
        assert.equal(findLookalike(candidate, officials), null, host);
      }),
      { ...parameters, seed },
    );
  });
});

describe("classifyEdit and the letters", () => {
  test("each single edit is named as dnstwist names it", () => {
    assert.equal(classifyEdit("rakutenn", "rakuten"), "repetition");
    assert.equal(classifyEdit("rakutenx", "rakuten"), "addition");
    assert.equal(classifyEdit("rakuen", "rakuten"), "omission");
    assert.equal(classifyEdit("rakuetn", "rakuten"), "transposition");
    assert.equal(classifyEdit("rakutin", "rakuten"), "vowel_swap");
    assert.equal(classifyEdit("rakutem", "rakuten"), "replacement");
    assert.equal(classifyEdit("rakutens", "rakuten"), "plural");
    assert.equal(classifyEdit("rakutenes", "rakuten"), "plural");
    assert.equal(classifyEdit("rxkutxn", "rakuten"), null);
  });

  test("a replacement on a short name counts only when the keys are neighbours", () => {
    assert.equal(classifyEdit("maison", "saison"), null);
    assert.equal(classifyEdit("daison", "saison"), "replacement");
  });

  test("Cyrillic and Greek lookalikes, full-width letters and accents read as the Latin letters they imitate", () => {
    assert.equal(skeletonOf("rаkuten"), "rakuten");
    assert.equal(skeletonOf("ｒａｋｕｔｅｎ"), "rakuten");
    assert.equal(skeletonOf("räkutén"), "rakuten");
    assert.equal(skeletonOf("ѕmbс"), "smbc");
    assert.equal(skeletonOf("楽天カード"), "楽天カード");
  });

  test("Latin mixed with Cyrillic is mixed script; Japanese with Latin is not", () => {
    assert.equal(isMixedScript("rаkuten"), true);
    assert.equal(isMixedScript("rakuten"), false);
    assert.equal(isMixedScript("ракутен"), false);
    assert.equal(isMixedScript("楽天カードcard"), false);
    assert.equal(isMixedScript("αmex"), true);
  });
});
