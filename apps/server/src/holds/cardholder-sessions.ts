/**
 * A simple cardholder session for the portal API: the issuer's app, having signed the cardholder
 * in, asks for a session with its API key and hands the token to the cardholder's device. The
 * token is random, short-lived and kept only as its SHA-256. The portal issue (#6) replaces the
 * issuer-minted session with the cardholder's own sign-in and second factor.
 */
import { createHash } from "node:crypto";
import { limits } from "../config/limits.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { Random } from "../platform/random.ts";
import { type GroupCommitter, newDocument, type Store } from "../storage/index.ts";

const tokenPrefix = "cst_";

function digestOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function createCardholderSessions(deps: {
  store: Pick<Store, "findDocumentByLookupKey">;
  committer: Pick<GroupCommitter, "submit">;
  ids: IdGenerator;
  random: Random;
  clock: Clock;
}) {
  return {
    async open(cardholderId: string): Promise<{ token: string; expiresAtMs: number }> {
      const token = `${tokenPrefix}${Buffer.from(deps.random.bytes(32)).toString("base64url")}`;
      const nowMs = deps.clock.nowMs();
      const expiresAtMs = nowMs + limits.cardholderSessionTtlMs;
      const id = deps.ids.next("cs");
      const result = await deps.committer.submit({
        ops: [
          {
            kind: "insertDocument",
            document: newDocument(
              {
                kind: "cardholder_session",
                id,
                cardId: null,
                cardholderId,
                state: "open",
                dueAtMs: expiresAtMs,
                lookupKey: digestOf(token),
                body: { expiresAtMs },
              },
              nowMs,
            ),
          },
        ],
        audit: [
          {
            actor: "api_key",
            action: "cardholder_session.opened",
            subjectId: id,
            payload: { cardholderId },
            atMs: nowMs,
          },
        ],
      });
      if (!result.ok) {
        throw new Error(`session insert failed: ${result.code}`);
      }
      return { token, expiresAtMs };
    },

    /** The cardholder a bearer token belongs to, or null when it is unknown or expired. */
    async cardholderOf(authorization: string | undefined): Promise<string | null> {
      if (authorization === undefined || !authorization.startsWith(`Bearer ${tokenPrefix}`)) {
        return null;
      }
      const token = authorization.slice("Bearer ".length);
      if (token.length > 100) {
        return null;
      }
      const session = await deps.store.findDocumentByLookupKey("cardholder_session", digestOf(token));
      if (session === null || session.state !== "open" || (session.dueAtMs ?? 0) <= deps.clock.nowMs()) {
        return null;
      }
      return session.cardholderId;
    },
  };
}

export type CardholderSessions = ReturnType<typeof createCardholderSessions>;
