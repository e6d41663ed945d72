import assert from "node:assert/strict";
import { test } from "node:test";
import { findMalformedText } from "./well-formed-text.ts";

test("well-formed text passes, surrogate pairs (emoji, rare kanji) included", () => {
  assert.equal(findMalformedText({ name: "田中 𠮷子 🌸", tags: ["a", { b: "c" }], n: 1, x: null }), null);
  assert.equal(findMalformedText(undefined), null);
  assert.equal(findMalformedText("plain"), null);
});

test("a lone surrogate anywhere is found, with the JSON pointer of where it is", () => {
  assert.equal(findMalformedText("\ud800"), "");
  assert.equal(findMalformedText({ merchant: { name: "Shop \udfff" } }), "/merchant/name");
  assert.equal(findMalformedText({ list: ["ok", "a\ud83db"] }), "/list/1");
  assert.equal(findMalformedText({ "a/b~c": { "\udc00": 1 } }), "/a~1b~0c/\udc00");
  // A pair in the wrong order is two lone surrogates.
  assert.equal(findMalformedText({ name: "\ude00\ud83d" }), "/name");
});

test("a body nested deeper than any call stack is walked without overflowing", () => {
  let deep: unknown = "\ud800";
  for (let i = 0; i < 200_000; i++) {
    deep = [deep];
  }
  assert.equal(findMalformedText(deep)?.length, 2 * 200_000);
});
