import assert from "node:assert/strict";
import { test } from "node:test";
import { createSeededRandom } from "../platform/random.ts";
import {
  createPanVault,
  findPanCandidates,
  isLuhnValid,
  maskPan,
  parsePan,
  withLuhnCheckDigit,
} from "./pan.ts";

const key = (version: number, fill: number) => ({
  version,
  hmacKey: Buffer.alloc(32, fill),
  encryptionKey: Buffer.alloc(32, fill + 1),
});

test("Luhn accepts the standard test numbers and rejects a changed digit", () => {
  assert.equal(isLuhnValid("4111111111111111"), true);
  assert.equal(isLuhnValid("5555555555554444"), true);
  assert.equal(isLuhnValid("4111111111111112"), false);
});

test("parsePan accepts printed spacing and refuses wrong lengths and check digits with a code", () => {
  assert.deepEqual(parsePan("4111 1111 1111 1111"), { ok: true, pan: "4111111111111111" });
  const short = parsePan("411111111111");
  assert.equal(short.ok, false);
  assert.equal(!short.ok && short.code, "invalid_pan");
  const wrongCheck = parsePan("4111111111111112");
  assert.equal(!wrongCheck.ok && wrongCheck.code, "invalid_pan");
  assert.equal(parsePan("4111-1111-1111-111a").ok, false);
});

test("a masked PAN shows at most the BIN and the last four digits", () => {
  const masked = maskPan("411111", "1111");
  assert.equal(masked, "411111******1111");
  assert.equal(findPanCandidates(masked).length, 0);
});

test("the vault's ciphertext decrypts to the PAN, never contains it, and differs per encryption", () => {
  const vault = createPanVault([key(1, 7)], createSeededRandom(1));
  const pan = "4111111111111111";
  const first = vault.encrypt(pan);
  const second = vault.encrypt(pan);
  assert.notEqual(first, second);
  assert.equal(first.includes(pan), false);
  assert.equal(vault.decrypt(first), pan);
  assert.match(vault.hash(pan), /^v1:[0-9a-f]{64}$/);
});

test("after a key rotation new hashes use the new version and old hashes are still found", () => {
  const old = createPanVault([key(1, 7)], createSeededRandom(1));
  const rotated = createPanVault([key(1, 7), key(2, 9)], createSeededRandom(1));
  const pan = "5555555555554444";
  assert.match(rotated.hash(pan), /^v2:/);
  assert.ok(rotated.hashesForLookup(pan).includes(old.hash(pan)));
  assert.equal(rotated.decrypt(old.encrypt(pan)), pan);
});

test("a tampered ciphertext fails authentication instead of decrypting to garbage", () => {
  const vault = createPanVault([key(1, 7)], createSeededRandom(1));
  const ciphertext = vault.encrypt("4111111111111111");
  const raw = Buffer.from(ciphertext.slice(3), "base64");
  raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
  assert.throws(() => vault.decrypt(`v1:${raw.toString("base64")}`));
});

test("the leak scanner finds Luhn-valid numbers inside text, spaced or not", () => {
  const found = findPanCandidates("card 4111 1111 1111 1111 and 4111111111111112 and 5555555555554444.");
  assert.deepEqual(found, ["4111111111111111", "5555555555554444"]);
  assert.equal(isLuhnValid(withLuhnCheckDigit("400000123456789")), true);
});
