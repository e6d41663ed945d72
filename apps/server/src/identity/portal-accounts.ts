/**
 * A cardholder's own sign-in to the portal. The issuer's registration flow hands over the
 * password the cardholder chose, once; we keep its Argon2id hash and return the TOTP secret the
 * cardholder adds to an authenticator app. One sign-in per cardholder, one per e-mail address.
 */
import type { PortalCredentialBody } from "@mimamori/contracts";
import { assert } from "../platform/assert.ts";
import type { Store } from "../storage/index.ts";
import type { CredentialBook } from "./credentials.ts";
import { signInWith } from "./operators.ts";
import type { Sessions } from "./sessions.ts";

export function createPortalAccounts(deps: {
  book: CredentialBook;
  sessions: Sessions;
  store: Pick<Store, "listDocuments">;
}) {
  const { book, sessions, store } = deps;
  return {
    async enroll(cardholderId: string, input: PortalCredentialBody, actor: string) {
      const existing = await store.listDocuments("portal_credential", { cardholderId }, null, 1);
      if (existing.length > 0) {
        return { ok: false as const, code: "portal_credential_exists" as const };
      }
      const enrolled = await book.enroll({
        id: `pc_${cardholderId}`,
        cardholderId,
        email: input.email,
        password: input.password,
        profile: {},
        actor,
      });
      return enrolled.ok
        ? { ok: true as const, totp: enrolled.totp }
        : { ok: false as const, code: "portal_email_taken" as const };
    },

    signIn(input: { email: string; password: string; code: string }) {
      return signInWith(
        book,
        sessions,
        (document) => {
          assert(document.cardholderId !== null, "a portal credential belongs to a cardholder");
          return { cardholderId: document.cardholderId };
        },
        input,
      );
    },
  };
}

export type PortalAccounts = ReturnType<typeof createPortalAccounts>;
