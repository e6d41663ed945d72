/**
 * Message bodies that carry a secret (a one-time code) are kept sealed in the outbox: the
 * database then holds no code a reader could use, while the dispatcher and the issuer's record
 * (`GET /v1/outbox`) open them with a key that lives outside the database. AES-256-GCM, so a
 * body altered in the database fails to open instead of sending something else.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { assert } from "../platform/assert.ts";
import type { Random } from "../platform/random.ts";

export type BodySealer = {
  seal(body: string): string;
  open(sealed: string): string;
};

const prefix = "sealed:v1:";
const ivBytes = 12;
const tagBytes = 16;

/** The same draft with its body sealed, for a message that carries a code or an answer link. */
export function sealedDraft<D extends { readonly body: string }>(
  draft: D,
  sealer: BodySealer,
): D & { isBodySealed: true } {
  return { ...draft, body: sealer.seal(draft.body), isBodySealed: true };
}

export function createBodySealer(key: Buffer, random: Random): BodySealer {
  assert(key.length === 32, "AES-256 needs a 32-byte key");
  return {
    seal(body) {
      const iv = Buffer.from(random.bytes(ivBytes));
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const ciphertext = Buffer.concat([cipher.update(body, "utf8"), cipher.final()]);
      return `${prefix}${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64")}`;
    },
    open(sealed) {
      assert(sealed.startsWith(prefix), "a sealed body carries its version");
      const raw = Buffer.from(sealed.slice(prefix.length), "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, ivBytes));
      decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
      return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString(
        "utf8",
      );
    },
  };
}
