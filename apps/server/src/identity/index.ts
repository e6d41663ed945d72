/**
 * Who is asking: cardholders signed in to the portal, operators signed in to the console, each
 * with a password and a TOTP code, and the sessions that follow.
 */
import { limits } from "../config/limits.ts";
import type { BodySealer } from "../outbox/index.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { Random } from "../platform/random.ts";
import type { GroupCommitter, Store } from "../storage/index.ts";
import { createCredentialBook } from "./credentials.ts";
import { createOperators } from "./operators.ts";
import { createPortalAccounts } from "./portal-accounts.ts";
import { createSessions } from "./sessions.ts";

export { type CredentialBook, createCredentialBook, normalizeEmail } from "./credentials.ts";
export { type Operator, type Operators, operatorView } from "./operators.ts";
export type { PortalAccounts } from "./portal-accounts.ts";
export { createSessions, type SessionOwner, type Sessions } from "./sessions.ts";

export function createIdentity(deps: {
  issuerName: string;
  store: Store;
  committer: Pick<GroupCommitter, "submit">;
  ids: IdGenerator;
  random: Random;
  clock: Clock;
  sealer: BodySealer;
}) {
  const cardholderSessions = createSessions({
    ...deps,
    kind: "cardholder_session",
    ttlMs: limits.cardholderSessionTtlMs,
  });
  const operatorSessions = createSessions({
    ...deps,
    kind: "operator_session",
    ttlMs: limits.operatorSessionTtlMs,
  });
  return {
    cardholderSessions,
    portalAccounts: createPortalAccounts({
      book: createCredentialBook({ ...deps, kind: "portal_credential" }),
      sessions: cardholderSessions,
      store: deps.store,
    }),
    operators: createOperators({
      book: createCredentialBook({ ...deps, kind: "operator" }),
      sessions: operatorSessions,
      store: deps.store,
      ids: deps.ids,
    }),
  };
}

export type Identity = ReturnType<typeof createIdentity>;
