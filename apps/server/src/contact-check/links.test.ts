import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { limits } from "../config/limits.ts";
import { findEmailAddresses, findLinks } from "./links.ts";

describe("findLinks", () => {
  test("scheme URLs, www forms and bare domains are each found once, in order", () => {
    const text =
      "【楽天カード】ご利用確認 https://rakuten-cards.com/login または www.rakuten-card.co.jp/e-navi/ か rb.gy/abc へ。再掲 https://rakuten-cards.com/login";
    assert.deepEqual(findLinks(text), [
      "https://rakuten-cards.com/login",
      "www.rakuten-card.co.jp/e-navi/",
      "rb.gy/abc",
    ]);
  });

  test("a URL's host is not found again as a bare domain, nor a domain in its query", () => {
    assert.deepEqual(findLinks("https://x.cn/?ib.aeonbank.co.jp/abc"), [
      "https://x.cn/?ib.aeonbank.co.jp/abc",
    ]);
    assert.deepEqual(findLinks("see rakuten-card.co.jp.abcde.cn/ now"), ["rakuten-card.co.jp.abcde.cn/"]);
  });

  test("Japanese text touching a link on either side is not part of it", () => {
    assert.deepEqual(findLinks("ログインはexample.comから"), ["example.com"]);
    assert.deepEqual(findLinks("こちらhttps://rakuten-cards.com/loginからログインしてください。"), [
      "https://rakuten-cards.com/login",
    ]);
    assert.deepEqual(findLinks("「www.rakuten-card.co.jp」をご確認ください"), ["www.rakuten-card.co.jp"]);
  });

  test("non-Latin labels, lookalike letters and punycode are found", () => {
    assert.deepEqual(findLinks("詳しくは 例え.jp へ"), ["例え.jp"]);
    assert.deepEqual(findLinks("xn--rkuten-card-yij.co.jp へ"), ["xn--rkuten-card-yij.co.jp"]);
    assert.deepEqual(findLinks("ログイン rаkuten-card.co.jp/login"), ["rаkuten-card.co.jp/login"]);
    assert.deepEqual(findLinks("https://例え.テスト/path"), ["https://例え.テスト/path"]);
  });

  test("full-width and defanged forms are found in the form a browser would open", () => {
    assert.deepEqual(findLinks("ｒａｋｕｔｅｎ－ｃａｒｄ．ｃｏ．ｊｐ／ｌｏｇｉｎ"), [
      "rakuten-card.co.jp/login",
    ]);
    assert.deepEqual(findLinks("hxxps://evil[.]example/x"), ["https://evil.example/x"]);
    assert.deepEqual(findLinks("ttps://evil(.)example"), ["https://evil.example"]);
    assert.deepEqual(findLinks("evil[dot]com/login"), ["evil.com/login"]);
    assert.deepEqual(findLinks("example。com を見て。次へ"), ["example.com"]);
    assert.deepEqual(findLinks("rakuten\u200B-card.co.jp"), ["rakuten-card.co.jp"]);
  });

  test("IP literals are found, with or without a scheme", () => {
    assert.deepEqual(findLinks("http://203.0.113.5/login と 198.51.100.7/x"), [
      "http://203.0.113.5/login",
      "198.51.100.7/x",
    ]);
    assert.deepEqual(findLinks("http://[2001:db8::1]:8080/x"), ["http://[2001:db8::1]:8080/x"]);
    assert.deepEqual(findLinks("http://3232235777/"), ["http://3232235777/"]);
  });

  test("user@host links are found whole; a plain e-mail address is not a link", () => {
    assert.deepEqual(findLinks("https://rakuten-card.co.jp@evil.example/"), [
      "https://rakuten-card.co.jp@evil.example/",
    ]);
    assert.deepEqual(findLinks("rakuten-card.co.jp@evil.example/login"), [
      "rakuten-card.co.jp@evil.example/login",
    ]);
    assert.deepEqual(findLinks("お問い合わせは info@mimamori-card.example まで"), []);
    assert.deepEqual(findLinks("info.shop@gmail.com"), []);
  });

  test("the origin line of a one-time code (@domain #code) names a domain", () => {
    assert.deepEqual(findLinks("認証コード 123456\n@card.example.co.jp #123456"), ["card.example.co.jp"]);
  });

  test("amounts, times, abbreviations and file names are not mistaken for links", () => {
    assert.deepEqual(findLinks("US$12.34 at 14:03, e.g. the U.S. store. Thank you.Please call."), []);
    assert.deepEqual(findLinks("ご利用金額 12,345円 (3.5%) 2025.01.31 14:03"), []);
    assert.deepEqual(findLinks("statement.pdf and notes.txt"), []);
  });

  test("special-use names outside the public-suffix list are links (the demo issuer's .example)", () => {
    assert.deepEqual(findLinks("公式サイト mimamori-card.example/help"), ["mimamori-card.example/help"]);
  });

  test("sentence punctuation after a link is not part of it", () => {
    assert.deepEqual(findLinks("Go to https://example.com/login. Then (see www.example.org)!"), [
      "https://example.com/login",
      "www.example.org",
    ]);
  });

  test(`no more than ${limits.contactLinksPerTextMax} links are read from one text`, () => {
    const text = Array.from({ length: 100 }, (_, index) => `https://site${index}.example/`).join(" ");
    const links = findLinks(text);
    assert.equal(links.length, limits.contactLinksPerTextMax);
    assert.equal(links[0], "https://site0.example/");
  });

  test("hostile text as long as a whole request body is read in linear time", () => {
    // Longer than the checker ever reads, so a quadratic pattern shows as seconds, not milliseconds.
    const length = limits.requestBodyBytesMax;
    for (const text of [
      "a.".repeat(length / 2),
      "a-".repeat(length / 2),
      `${"a".repeat(length - 4)}.com`,
      "楽".repeat(length),
      `https://${"a.".repeat(length / 2)}`,
      "1.".repeat(length / 2),
      `${"a".repeat(length / 2)}@${"b.".repeat(length / 4)}`,
    ]) {
      const startedAt = performance.now();
      findLinks(text);
      findEmailAddresses(text);
      const elapsedMs = performance.now() - startedAt;
      assert.ok(elapsedMs < 500, `${text.slice(0, 12)}… took ${Math.round(elapsedMs)} ms`);
    }
  });
});

describe("findEmailAddresses", () => {
  test("addresses are found once each, also touching Japanese text", () => {
    assert.deepEqual(
      findEmailAddresses(
        "差出人: info@mail.rakuten-card.co.jp 返信先はsupport@rakuten-cards.comまで。info@mail.rakuten-card.co.jp",
      ),
      ["info@mail.rakuten-card.co.jp", "support@rakuten-cards.com"],
    );
  });

  test("a user@host link is not an e-mail address", () => {
    assert.deepEqual(findEmailAddresses("https://rakuten-card.co.jp@evil.example/"), []);
    assert.deepEqual(findEmailAddresses("rakuten-card.co.jp@evil.example/login"), []);
  });
});
