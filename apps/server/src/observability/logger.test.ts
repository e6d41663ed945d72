import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { createLogger, redactPans } from "./logger.ts";

test("a card number never reaches a log line: plain, spaced, dashed, or glued to its expiry", () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  logger.info(
    { body: "4111111111111111", spaced: "4111 1111 1111 1111", amex: "3782-822463-10005" },
    "pan and expiry 41111111111111112812 in a message",
  );
  logger.error(new Error("card 5555555555554444 refused"));
  const text = lines.join("");
  for (const digits of ["4111111111111111", "4111 1111 1111 1111", "3782-822463-10005", "5555555555554444"]) {
    assert.ok(!text.includes(digits), `${digits} in ${text}`);
  }
  assert.ok(!/[0-9]{13,}/.test(text.replace(/"time":[0-9]+/g, "")), text);
});

test("numbers that hold no card number stay readable", () => {
  // 13 digits failing Luhn in every stretch, a short reference and an amount.
  assert.equal(redactPans("ref 1234567890123 amount 89000"), "ref 1234567890123 amount 89000");
  assert.equal(redactPans("order 1234567890124"), "order 1234567890124");
});
