/**
 * Sessions for the portal (a cardholder) and the console (an operator). The token is random,
 * short-lived and kept only as its SHA-256, so a copy of the database signs no one in. A bearer
 * token rather than a cookie: the browser never sends it on its own, so another site cannot ride
 * on a session (no CSRF), and the issuer's own app can hold one for a cardholder it signed in.
 */
import { createHash } from "node:crypto";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { Random } from "../platform/random.ts";
import { type GroupCommitter, newDocument, type Store } from "../storage/index.ts";

/** Whose session: a cardholder's, or an operator's (the document's id names the operator). */
export type SessionOwner = { cardholderId: string } | { operatorId: string };

export type SessionKind = "cardholder_session" | "operator_session";

const tokenPrefixes: Readonly<Record<SessionKind, string>> = {
  cardholder_session: "cst_",
  operator_session: "ost_",
};
const tokenLengthMax = 100;

function digestOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function createSessions(deps: {
  kind: SessionKind;
  ttlMs: number;
  store: Pick<Store, "findDocumentByLookupKey">;
  committer: Pick<GroupCommitter, "submit">;
  ids: IdGenerator;
  random: Random;
  clock: Clock;
}) {
  const { kind, store, committer, ids, random, clock } = deps;
  const prefix = tokenPrefixes[kind];

  const tokenOf = (authorization: string | undefined): string | null => {
    if (authorization === undefined || !authorization.startsWith(`Bearer ${prefix}`)) {
      return null;
    }
    const token = authorization.slice("Bearer ".length);
    return token.length > tokenLengthMax ? null : token;
  };

  const find = async (authorization: string | undefined) => {
    const token = tokenOf(authorization);
    if (token === null) {
      return null;
    }
    const session = await store.findDocumentByLookupKey(kind, digestOf(token));
    if (session === null || session.state !== "open" || (session.dueAtMs ?? 0) <= clock.nowMs()) {
      return null;
    }
    return session;
  };

  return {
    async open(owner: SessionOwner, actor: string): Promise<{ token: string; expiresAtMs: number }> {
      const token = `${prefix}${Buffer.from(random.bytes(32)).toString("base64url")}`;
      const nowMs = clock.nowMs();
      const expiresAtMs = nowMs + deps.ttlMs;
      const id = ids.next(kind === "cardholder_session" ? "cs" : "os");
      const operatorId = "operatorId" in owner ? owner.operatorId : null;
      const result = await committer.submit({
        ops: [
          {
            kind: "insertDocument",
            document: newDocument(
              {
                kind,
                id,
                cardId: null,
                cardholderId: "cardholderId" in owner ? owner.cardholderId : null,
                state: "open",
                dueAtMs: expiresAtMs,
                lookupKey: digestOf(token),
                body: { expiresAtMs, operatorId },
              },
              nowMs,
            ),
          },
        ],
        audit: [{ actor, action: `${kind}.opened`, subjectId: id, payload: owner, atMs: nowMs }],
      });
      if (!result.ok) {
        throw new Error(`session insert failed: ${result.code}`);
      }
      return { token, expiresAtMs };
    },

    /** The cardholder a bearer token belongs to, or null when it is unknown, closed or expired. */
    async cardholderOf(authorization: string | undefined): Promise<string | null> {
      return (await find(authorization))?.cardholderId ?? null;
    },

    /** The operator a bearer token belongs to, or null when it is unknown, closed or expired. */
    async operatorOf(authorization: string | undefined): Promise<string | null> {
      const session = await find(authorization);
      return session === null ? null : ((session.body as { operatorId: string | null }).operatorId ?? null);
    },

    /** Signs out: the token stops working at once, everywhere. Unknown tokens are already out. */
    async close(authorization: string | undefined, actor: string): Promise<void> {
      const session = await find(authorization);
      if (session === null) {
        return;
      }
      const nowMs = clock.nowMs();
      // A concurrent sign-out of the same session is the only possible conflict, and it wins.
      await committer.submit({
        ops: [
          {
            kind: "updateDocument",
            document: { ...session, version: session.version + 1, state: "closed", updatedAtMs: nowMs },
          },
        ],
        audit: [{ actor, action: `${kind}.closed`, subjectId: session.id, payload: {}, atMs: nowMs }],
      });
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
