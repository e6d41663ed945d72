import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CompactEncrypt, CompactSign } from "jose";
import {
  type CardHostKeys,
  type CardHostPayload,
  cardHostTokenType,
  cardHostWebhookBody,
  openFromCardHost,
  sealForCardHost,
} from "./card-host.ts";
import { findPanCandidates } from "./pan.ts";

const keys: CardHostKeys = {
  keyId: "card-host-2026-01",
  encryptionKey: new Uint8Array(32).fill(3),
  signingKey: new Uint8Array(32).fill(5),
};

const payload: CardHostPayload = {
  cardId: "card_00mh2k3l0abcdefghij",
  replacesCardId: "card_00mg9x1a0klmnopqrst",
  pan: "4929123456781236",
  expiry: "2031-05",
  cvv: "7351",
  reason: "fraud_reissue",
  issuedAtMs: Date.UTC(2026, 4, 17, 9, 30, 0),
};

const encoder = new TextEncoder();

/**
 * The base64url text that `secret` becomes wherever it sits in an encoded byte string: one form
 * per byte alignment, trimmed to the characters that depend on the secret alone.
 */
function base64urlForms(secret: string): string[] {
  return [0, 1, 2].map((offset) => {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret)]);
    const encoded = bytes.toString("base64url");
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(bytes.length / 3) * 4;
    return encoded.slice(start, end);
  });
}

/** Seals a JWS of any payload and header under the test keys, as a card host would receive it. */
async function sealRaw(claims: unknown, header: Record<string, string>): Promise<string> {
  const jws = await new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: "HS256", kid: keys.keyId, typ: cardHostTokenType, ...header })
    .sign(keys.signingKey);
  return new CompactEncrypt(encoder.encode(jws))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: keys.keyId, cty: "JWT" })
    .encrypt(keys.encryptionKey);
}

describe("sealForCardHost and openFromCardHost", () => {
  test("the card host opens exactly the order that was sealed, for every reason", async () => {
    for (const reason of ["fraud_reissue", "lost", "stolen"] as const) {
      const order = { ...payload, reason };
      assert.deepEqual(await openFromCardHost(await sealForCardHost(order, keys), keys), {
        ok: true,
        payload: order,
      });
    }
  });

  test("the sealed order is a compact JWE whose clear header names the key and a nested JWT", async () => {
    const sealed = await sealForCardHost(payload, keys);
    const segments = sealed.split(".");
    assert.equal(segments.length, 5);
    assert.deepEqual(JSON.parse(Buffer.from(segments[0] ?? "", "base64url").toString("utf8")), {
      alg: "dir",
      enc: "A256GCM",
      kid: keys.keyId,
      cty: "JWT",
    });
  });

  test("the sealed order holds no PAN, expiry or CVV in clear or in base64url, at any alignment", async () => {
    const sealed = await sealForCardHost(payload, keys);
    assert.deepEqual(findPanCandidates(sealed), []);
    // A 3- or 4-digit CVV alone can occur by chance in random base64url text, so it is checked as
    // the JSON field it would travel as, where a chance match is out of reach.
    const secrets = [payload.pan, payload.expiry, `"cvv":"${payload.cvv}"`, JSON.stringify(payload)];
    for (const secret of secrets) {
      assert.equal(sealed.includes(secret), false, "clear");
      for (const form of base64urlForms(secret)) {
        assert.equal(sealed.includes(form), false, "base64url");
      }
    }
    assert.equal(sealed.includes(payload.pan.slice(-4)) && sealed.includes(payload.pan.slice(0, 8)), false);
  });

  test("sealing the same order twice gives different ciphertexts (fresh IV each time)", async () => {
    assert.notEqual(await sealForCardHost(payload, keys), await sealForCardHost(payload, keys));
  });

  test("any changed character is refused with a code, or opens to the very same order", async () => {
    const sealed = await sealForCardHost(payload, keys);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const positions = [...sealed].flatMap((char, index) => (char === "." ? [] : [index]));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...positions), fc.constantFrom(...alphabet), async (index, char) => {
        fc.pre(sealed[index] !== char);
        const tampered = `${sealed.slice(0, index)}${char}${sealed.slice(index + 1)}`;
        const result = await openFromCardHost(tampered, keys);
        // The last character of a base64url segment carries padding bits that some changes leave
        // the decoded bytes untouched; that is the only way a change may still open.
        if (result.ok) {
          assert.deepEqual(result.payload, payload);
        } else {
          assert.ok(["bad_encryption", "bad_signature", "bad_payload"].includes(result.code));
        }
      }),
    );
  });

  test("a changed character inside the ciphertext or tag is always refused as bad_encryption", async () => {
    const sealed = await sealForCardHost(payload, keys);
    const [header, key, iv, ciphertext, tag] = sealed.split(".");
    assert.ok(header !== undefined && key !== undefined && iv !== undefined);
    assert.ok(ciphertext !== undefined && tag !== undefined);
    for (const [segment, name] of [
      [3, "ciphertext"],
      [4, "tag"],
    ] as const) {
      const parts = sealed.split(".");
      const text = parts[segment] ?? "";
      const index = Math.floor(text.length / 2);
      parts[segment] = `${text.slice(0, index)}${text[index] === "A" ? "B" : "A"}${text.slice(index + 1)}`;
      const result = await openFromCardHost(parts.join("."), keys);
      assert.equal(!result.ok && result.code, "bad_encryption", name);
    }
  });

  test("the right encryption key with the wrong signing key is bad_signature", async () => {
    const sealed = await sealForCardHost(payload, keys);
    const result = await openFromCardHost(sealed, { ...keys, signingKey: new Uint8Array(32).fill(6) });
    assert.equal(!result.ok && result.code, "bad_signature");
  });

  test("the wrong encryption key is bad_encryption, whatever the signing key", async () => {
    const sealed = await sealForCardHost(payload, keys);
    const result = await openFromCardHost(sealed, { ...keys, encryptionKey: new Uint8Array(32).fill(4) });
    assert.equal(!result.ok && result.code, "bad_encryption");
  });

  test("an order sealed under another key id is refused even if the key bytes match", async () => {
    const sealed = await sealForCardHost(payload, { ...keys, keyId: "card-host-2025-12" });
    const result = await openFromCardHost(sealed, keys);
    assert.equal(!result.ok && result.code, "bad_encryption");
  });

  test("garbage, an oversized string and an unsigned inner token are refused with codes", async () => {
    assert.equal((await openFromCardHost("", keys)).ok, false);
    assert.equal((await openFromCardHost("a.b.c.d.e", keys)).ok, false);
    const huge = await openFromCardHost("A".repeat(100_000), keys);
    assert.equal(!huge.ok && huge.code, "bad_encryption");
    const unsigned = await new CompactEncrypt(encoder.encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: keys.keyId, cty: "JWT" })
      .encrypt(keys.encryptionKey);
    const result = await openFromCardHost(unsigned, keys);
    assert.equal(!result.ok && result.code, "bad_signature");
  });

  test("a correctly signed token that is not a well-formed card order is bad_payload", async () => {
    const cases: [unknown, Record<string, string>][] = [
      [payload, { typ: "JWT" }],
      [{ ...payload, cvv: "12" }, {}],
      [{ ...payload, pan: "4929123456781237" }, {}],
      [{ ...payload, expiry: "2031-13" }, {}],
      [{ ...payload, reason: "upgrade" }, {}],
      [{ ...payload, replacesCardId: payload.cardId }, {}],
      [{ ...payload, extra: "field" }, {}],
      [[payload], {}],
    ];
    for (const [claims, header] of cases) {
      const result = await openFromCardHost(await sealRaw(claims, header), keys);
      assert.equal(!result.ok && result.code, "bad_payload", JSON.stringify(header));
      // The message names the field, never the secret it holds.
      assert.equal(!result.ok && result.message.includes(payload.pan), false);
    }
  });

  test("sealing a malformed order or with weak keys is a bug", async () => {
    await assert.rejects(sealForCardHost({ ...payload, pan: "4929123456781237" }, keys), /card number/);
    await assert.rejects(sealForCardHost(payload, { ...keys, signingKey: new Uint8Array(16) }), /32-byte/);
    await assert.rejects(sealForCardHost(payload, { ...keys, signingKey: keys.encryptionKey }), /differ/);
  });
});

describe("cardHostWebhookBody", () => {
  test("carries only routing metadata in clear, even when handed the whole order", async () => {
    const sealed = await sealForCardHost(payload, keys);
    const body = cardHostWebhookBody(sealed, payload);
    assert.deepEqual(body, {
      cardId: payload.cardId,
      replacesCardId: payload.replacesCardId,
      reason: "fraud_reissue",
      issuedAt: "2026-05-17T09:30:00.000Z",
      sealed,
    });
    const json = JSON.stringify(body);
    assert.deepEqual(findPanCandidates(json), []);
    assert.equal(json.includes(payload.pan), false);
    assert.equal(json.includes(payload.expiry), false);
    assert.equal(json.includes(`"cvv"`), false);
  });
});
