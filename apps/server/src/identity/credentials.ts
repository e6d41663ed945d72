/**
 * Sign-in with something known and something held: a password kept only as its Argon2id hash
 * (memory-hard, OWASP's parameters) and a TOTP code (RFC 6238) from the person's authenticator
 * app, whose secret is kept sealed with AES-256-GCM. The same book serves the portal (cardholders)
 * and the console (operators); each kind keeps its credentials in its own documents.
 *
 * A sign-in answers only "failed" or "locked", never which factor was wrong, and an unknown
 * e-mail costs the same hash as a known one, so neither the answer nor its timing tells an
 * attacker which addresses exist. Each code is accepted once: a step no later than the last one
 * used is refused, so a code seen over a shoulder cannot be replayed.
 */
import { type Algorithm, hash, verify } from "@node-rs/argon2";
import { Secret, TOTP } from "otpauth";
import { limits } from "../config/limits.ts";
import type { BodySealer } from "../outbox/index.ts";
import type { Clock } from "../platform/clock.ts";
import type { Random } from "../platform/random.ts";
import { type DocumentRecord, type GroupCommitter, newDocument, type Store } from "../storage/index.ts";

export type CredentialKind = "operator" | "portal_credential";

/** The fields every credential document's body carries, beside the kind's own. */
export type CredentialFields = {
  readonly email: string;
  readonly passwordHash: string;
  readonly totpSecretSealed: string;
  /** The last TOTP time step accepted, or -1 before the first sign-in. */
  readonly totpLastStep: number;
  readonly failuresCount: number;
  readonly lockedUntilMs: number | null;
};

export type EnrollResult =
  | { ok: true; document: DocumentRecord; totp: { secret: string; uri: string } }
  | { ok: false; code: "email_taken" };

export type VerifyResult =
  | { ok: true; document: DocumentRecord }
  | { ok: false; code: "sign_in_failed" | "sign_in_locked" };

const totpPeriodS = 30;
const totpDigits = 6;
/** RFC 4226 asks for at least 128 bits of shared secret; 160 is the customary HMAC-SHA-1 size. */
const totpSecretBytes = 20;
const saltBytes = 16;
/** The library's const enum cannot be read under isolated modules; 2 is its Argon2id (RFC 9106). */
const argon2id = 2 as Algorithm;

/** E-mail addresses compare without case or surrounding space; the domain is case-blind anyway. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createCredentialBook(deps: {
  kind: CredentialKind;
  /** Shown by the authenticator app beside the code. */
  issuerName: string;
  store: Pick<Store, "findDocumentByLookupKey">;
  committer: Pick<GroupCommitter, "submit">;
  clock: Clock;
  random: Random;
  sealer: BodySealer;
}) {
  const { kind, store, committer, clock, random, sealer } = deps;
  const hashOptions = {
    algorithm: argon2id,
    memoryCost: limits.passwordMemoryKib,
    timeCost: limits.passwordPasses,
    parallelism: 1,
  };
  const hashPassword = (password: string) =>
    hash(password, { ...hashOptions, salt: random.bytes(saltBytes) });
  // Verified against when the e-mail is unknown, so that answer costs what a wrong password does.
  let decoyHash: Promise<string> | null = null;

  const totpOf = (secretBase32: string, label: string) =>
    new TOTP({
      issuer: deps.issuerName,
      label,
      algorithm: "SHA1",
      digits: totpDigits,
      period: totpPeriodS,
      secret: Secret.fromBase32(secretBase32),
    });

  const update = async (document: DocumentRecord, fields: Partial<CredentialFields>, action: string) => {
    const nowMs = clock.nowMs();
    const result = await committer.submit({
      ops: [
        {
          kind: "updateDocument",
          document: {
            ...document,
            version: document.version + 1,
            updatedAtMs: nowMs,
            body: { ...(document.body as CredentialFields), ...fields },
          },
        },
      ],
      audit: [{ actor: document.id, action, subjectId: document.id, payload: {}, atMs: nowMs }],
    });
    return result.ok;
  };

  return {
    /**
     * A new credential: the password's hash and a fresh TOTP secret, returned once so the person
     * can add it to an authenticator app. The document's other fields come from the caller.
     */
    async enroll(input: {
      id: string;
      cardholderId: string | null;
      email: string;
      password: string;
      profile: Readonly<Record<string, unknown>>;
      actor: string;
    }): Promise<EnrollResult> {
      const email = normalizeEmail(input.email);
      if ((await store.findDocumentByLookupKey(kind, email)) !== null) {
        return { ok: false, code: "email_taken" };
      }
      const secret = new Secret({ buffer: random.bytes(totpSecretBytes).slice().buffer }).base32;
      // Built before anything is saved: an enrolment whose authenticator link cannot be made would
      // otherwise leave an account whose second factor nobody ever received.
      const uri = totpOf(secret, email).toString();
      const fields: CredentialFields = {
        email,
        passwordHash: await hashPassword(input.password),
        totpSecretSealed: sealer.seal(secret),
        totpLastStep: -1,
        failuresCount: 0,
        lockedUntilMs: null,
      };
      const nowMs = clock.nowMs();
      const document = newDocument(
        {
          kind,
          id: input.id,
          cardId: null,
          cardholderId: input.cardholderId,
          state: "active",
          lookupKey: email,
          body: { ...input.profile, ...fields },
        },
        nowMs,
      );
      const result = await committer.submit({
        ops: [{ kind: "insertDocument", document }],
        audit: [
          { actor: input.actor, action: `${kind}.enrolled`, subjectId: input.id, payload: {}, atMs: nowMs },
        ],
      });
      if (!result.ok) {
        // Two enrolments of one address raced; the first stands.
        return { ok: false, code: "email_taken" };
      }
      return { ok: true, document, totp: { secret, uri } };
    },

    async verify(emailGiven: string, password: string, code: string): Promise<VerifyResult> {
      const document = await store.findDocumentByLookupKey(kind, normalizeEmail(emailGiven));
      if (document === null || document.state !== "active") {
        decoyHash ??= hashPassword(Buffer.from(random.bytes(saltBytes)).toString("hex"));
        await verify(await decoyHash, password);
        return { ok: false, code: "sign_in_failed" };
      }
      const fields = document.body as CredentialFields;
      const nowMs = clock.nowMs();
      if (fields.lockedUntilMs !== null && fields.lockedUntilMs > nowMs) {
        return { ok: false, code: "sign_in_locked" };
      }
      const isPasswordRight = await verify(fields.passwordHash, password);
      const delta = totpOf(sealer.open(fields.totpSecretSealed), fields.email).validate({
        token: code,
        timestamp: nowMs,
        window: limits.totpStepWindow,
      });
      const step = delta === null ? null : Math.floor(nowMs / 1000 / totpPeriodS) + delta;
      if (isPasswordRight && step !== null && step > fields.totpLastStep) {
        const isSaved = await update(
          document,
          { totpLastStep: step, failuresCount: 0, lockedUntilMs: null },
          `${kind}.signed_in`,
        );
        // A conflict means another sign-in with this very code won the race: this one is a replay.
        return isSaved ? { ok: true, document } : { ok: false, code: "sign_in_failed" };
      }
      const failuresCount = fields.failuresCount + 1;
      const isLocking = failuresCount >= limits.signInFailuresMax;
      await update(
        document,
        isLocking
          ? { failuresCount: 0, lockedUntilMs: nowMs + limits.signInLockMs }
          : { failuresCount, lockedUntilMs: null },
        isLocking ? `${kind}.locked` : `${kind}.sign_in_failed`,
      );
      return { ok: false, code: isLocking ? "sign_in_locked" : "sign_in_failed" };
    },
  };
}

export type CredentialBook = ReturnType<typeof createCredentialBook>;
