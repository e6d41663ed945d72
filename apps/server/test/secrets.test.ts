/**
 * Secrets come only from configuration: the environment, or a secrets file generated with fresh
 * randomness at first start. None is written into the source, where a copy of the repository
 * (or of the container image) would carry it to everyone. Whether a secret reaches the log is
 * checked beside the routes that handle them (route-access.test.ts).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, test } from "node:test";
import { loadSecrets, type Secrets } from "../src/config/config.ts";
import { createSeededRandom } from "../src/platform/random.ts";

const root = new URL("../../..", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist") {
      return [];
    }
    if (statSync(path).isDirectory()) {
      return sourceFiles(path);
    }
    // Tests and their helpers hold fixtures (test keys, known passwords) on purpose.
    const isShipped = /\.tsx?$/.test(name) && !/\.test(-support)?\.tsx?$/.test(name);
    return isShipped ? [path] : [];
  });
}

/** A literal that looks like key material: long hex, long unbroken base64, a PEM key, one of our token formats. */
function looksLikeKeyMaterial(literal: string): boolean {
  return (
    /^[0-9a-f]{32,}$/i.test(literal) ||
    (/^[A-Za-z0-9+_-][A-Za-z0-9+/_-]{31,}={0,2}$/.test(literal) &&
      !literal.includes("/v1/") &&
      /\d/.test(literal) &&
      /[a-z]/.test(literal)) ||
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(literal) ||
    /^(mk|cst|ost)_[A-Za-z0-9_-]{16,}$/.test(literal)
  );
}

/** Names that hold a secret; a literal assigned to one is a hard-coded secret unless listed below. */
const secretName =
  /(api_?key|secret|password|passwd|signing_?key|hmac_?key|encryption_?key|private_?key)"?\s*[:=]\s*/i;

/** Literals next to a secret-sounding name that are not secrets, each with the reason. */
const notSecrets: Readonly<Record<string, string>> = {
  asks_for_password: "a contact-check cue code: the message asks for a password",
  Password: "the console's sign-in field label",
};

/** Key-like literals that are not keys, each with the reason. */
const notKeys: Readonly<Record<string, string>> = {
  "0123456789abcdefghijklmnopqrstuvwxyz": "the base-36 alphabet ids are written in",
};

describe("secrets only from configuration", () => {
  const files = [join(root, "apps/server/src"), join(root, "packages"), join(root, "apps/web/src")].flatMap(
    sourceFiles,
  );

  test("no source file holds a literal that looks like a key, and no secret-named field is given a literal", () => {
    assert.ok(files.length > 100, `read ${files.length} source files`);
    const findings: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, "utf8").split("\n");
      for (const [index, line] of lines.entries()) {
        const where = `${relative(root, file)}:${index + 1}`;
        for (const match of line.matchAll(/(["'`])((?:(?!\1)[^\\$]|\\.){8,})\1/g)) {
          const literal = match[2] ?? "";
          // Base64 that opens with WebAssembly's magic number ("\0asm") is a module's code
          // (packages/ml/src/walk-wasm.ts), not key material.
          const isWasmModule = literal.startsWith("AGFzbQ");
          if (looksLikeKeyMaterial(literal) && notKeys[literal] === undefined && !isWasmModule) {
            findings.push(`${where} key-like literal ${literal.slice(0, 12)}…`);
          }
          const before = line.slice(0, match.index);
          const isAssignedToSecret = new RegExp(`${secretName.source}$`, "i").test(before);
          // A real password or key is printable ASCII without spaces; messages and labels are not.
          const isSecretLike = /^[\x21-\x7e]+$/.test(literal);
          if (isAssignedToSecret && isSecretLike && notSecrets[literal] === undefined) {
            findings.push(`${where} a secret-named field is given the literal ${literal.slice(0, 12)}…`);
          }
        }
      }
    }
    assert.deepEqual(findings, []);
  });

  test("the scan finds a planted key, so an empty result means something", () => {
    const planted = [
      'const signingKey = "0123456789abcdef0123456789abcdef";',
      'apiKey: "mk_live_AbCdEf123456"',
    ];
    for (const line of planted) {
      const literal = /"([^"]+)"/.exec(line)?.[1] ?? "";
      const before = line.slice(0, line.indexOf(`"${literal}"`));
      assert.ok(
        looksLikeKeyMaterial(literal) || new RegExp(`${secretName.source}$`, "i").test(before),
        `the scan misses ${line}`,
      );
    }
  });

  const secretsOf = (secrets: Secrets) => [
    secrets.apiKey,
    secrets.cardHost.encryptionKey.toString("hex"),
    secrets.cardHost.signingKey.toString("hex"),
    secrets.pushSigningKey.toString("hex"),
    secrets.stepUpKey.toString("hex"),
    secrets.smsInboundSigningKey.toString("hex"),
    ...secrets.panKeys.flatMap((key) => [key.hmacKey.toString("hex"), key.encryptionKey.toString("hex")]),
  ];

  test("without configuration every secret is drawn fresh: two first starts share none", () => {
    const first = secretsOf(loadSecrets(null, {}, createSeededRandom(1)));
    const second = secretsOf(loadSecrets(null, {}, createSeededRandom(2)));
    assert.equal(new Set([...first, ...second]).size, first.length + second.length);
    assert.equal(new Set(first).size, first.length, "no two keys of one start are the same");
  });

  const dataDir = mkdtempSync(join(tmpdir(), "mimamori-secrets-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("generated secrets are kept in a file only the owner can read, and reused at the next start", () => {
    const first = loadSecrets(dataDir, {}, createSeededRandom(3));
    assert.equal(first.isApiKeyNew, true, "a new key is announced once");
    const mode = statSync(join(dataDir, "secrets.json")).mode & 0o777;
    assert.equal(mode, 0o600, `secrets.json mode ${mode.toString(8)}`);
    const again = loadSecrets(dataDir, {}, createSeededRandom(4));
    assert.deepEqual(secretsOf(again), secretsOf(first));
    assert.equal(again.isApiKeyNew, false);
  });

  test("secrets given in the environment win over the file, and malformed keys are refused", () => {
    const hex = (byte: string) => byte.repeat(64);
    const env = {
      MIMAMORI_API_KEY: "mk_from_the_environment",
      MIMAMORI_PUSH_SIGNING_KEY: hex("a"),
      MIMAMORI_STEP_UP_KEY: hex("b"),
      MIMAMORI_SMS_INBOUND_SIGNING_KEY: hex("9"),
      MIMAMORI_CARD_HOST_ENCRYPTION_KEY: hex("c"),
      MIMAMORI_CARD_HOST_SIGNING_KEY: hex("d"),
      MIMAMORI_PAN_HMAC_KEY: hex("e"),
      MIMAMORI_PAN_ENCRYPTION_KEY: hex("f"),
    };
    const secrets = loadSecrets(dataDir, env, createSeededRandom(5));
    assert.equal(secrets.apiKey, env.MIMAMORI_API_KEY);
    assert.equal(secrets.pushSigningKey.toString("hex"), env.MIMAMORI_PUSH_SIGNING_KEY);
    assert.equal(secrets.stepUpKey.toString("hex"), env.MIMAMORI_STEP_UP_KEY);
    assert.equal(secrets.smsInboundSigningKey.toString("hex"), env.MIMAMORI_SMS_INBOUND_SIGNING_KEY);
    assert.equal(secrets.cardHost.encryptionKey.toString("hex"), env.MIMAMORI_CARD_HOST_ENCRYPTION_KEY);
    assert.equal(secrets.cardHost.signingKey.toString("hex"), env.MIMAMORI_CARD_HOST_SIGNING_KEY);
    const newest = secrets.panKeys.reduce((a, b) => (b.version > a.version ? b : a));
    assert.equal(
      newest.hmacKey.toString("hex"),
      env.MIMAMORI_PAN_HMAC_KEY,
      "new PANs use the configured key",
    );
    assert.throws(
      () => loadSecrets(dataDir, { MIMAMORI_PUSH_SIGNING_KEY: "short" }, createSeededRandom(6)),
      /MIMAMORI_PUSH_SIGNING_KEY must be 32 bytes/,
    );
  });
});
