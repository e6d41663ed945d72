import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { isShortener, parseShortenerList } from "./shorteners.ts";

const dataDir = new URL("../../data/url-shorteners/", import.meta.url);

describe("isShortener", () => {
  test("the shorteners seen in card-company smishing are flagged", () => {
    for (const host of ["rb.gy", "t.ly", "cutt.ly", "bit.ly", "x.gd", "tinyurl.com"]) {
      assert.equal(isShortener(host), true, host);
    }
  });

  test("a subdomain of a shortener is a shortener, and an entry of several labels matches", () => {
    assert.equal(isShortener("www.bit.ly"), true);
    assert.equal(isShortener("go.nasa.gov"), true);
    assert.equal(isShortener("nasa.gov"), false);
    assert.equal(isShortener("BIT.LY."), true);
  });

  test("ordinary domains and entries of the inactive list are not flagged", () => {
    for (const host of ["rakuten-card.co.jp", "google.com", "example.com", "ly", "0rz.tw", "0vu.cn"]) {
      assert.equal(isShortener(host), false, host);
    }
  });

  test("comment lines and blank lines of the list are not hosts", () => {
    const list = parseShortenerList("# licence\n\nrb.gy\n  T.LY  \n#bit.ly\n");
    assert.deepEqual([...list], ["rb.gy", "t.ly"]);
  });
});

describe("the shipped shortener data", () => {
  test("travels with its CC-BY-SA-4.0 licence and attribution", () => {
    for (const name of ["list", "inactive", "LICENSE", "SOURCE.md"]) {
      assert.ok(existsSync(new URL(name, dataDir)), name);
    }
    const source = readFileSync(new URL("SOURCE.md", dataDir), "utf8");
    assert.match(source, /PeterDaveHello\/url-shorteners/);
    assert.match(source, /CC-BY-SA-4\.0/);
    assert.match(
      readFileSync(new URL("LICENSE", dataDir), "utf8"),
      /Attribution-ShareAlike 4\.0 International/,
    );
  });

  test("every active entry is a lowercase host name", () => {
    const list = parseShortenerList(readFileSync(new URL("list", dataDir), "utf8"));
    assert.ok(list.size > 1_000, `${list.size} entries`);
    for (const host of list) {
      assert.match(host, /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/, host);
    }
  });
});
