/**
 * The console's people: analysts work holds and cases, supervisors also change the rules (and
 * approve each other's activations), admins manage operators. An operator is a credential
 * document with a name and a role; the role is read on every request, so a change takes effect
 * at once.
 */
import type { CreateOperatorBody, OperatorRole, OperatorView } from "@mimamori/contracts";
import { limits } from "../config/limits.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { DocumentRecord, Store } from "../storage/index.ts";
import type { CredentialBook } from "./credentials.ts";
import type { Sessions } from "./sessions.ts";

export type Operator = { id: string; email: string; name: string; role: OperatorRole; createdAtMs: number };

export function operatorFromDocument(document: DocumentRecord): Operator {
  const body = document.body as { email: string; name: string; role: OperatorRole };
  return {
    id: document.id,
    email: body.email,
    name: body.name,
    role: body.role,
    createdAtMs: document.createdAtMs,
  };
}

export function operatorView(operator: Operator): OperatorView {
  return {
    id: operator.id,
    email: operator.email,
    name: operator.name,
    role: operator.role,
    createdAt: new Date(operator.createdAtMs).toISOString(),
  };
}

export type SignInResult =
  | { ok: true; token: string; expiresAtMs: number; document: DocumentRecord }
  | { ok: false; code: "sign_in_failed" | "sign_in_locked" };

/** Password and code checked by the book, then a session opened for whoever they belong to. */
export async function signInWith(
  book: CredentialBook,
  sessions: Sessions,
  ownerOf: (document: DocumentRecord) => { cardholderId: string } | { operatorId: string },
  input: { email: string; password: string; code: string },
): Promise<SignInResult> {
  const verified = await book.verify(input.email, input.password, input.code);
  if (!verified.ok) {
    return verified;
  }
  const session = await sessions.open(ownerOf(verified.document), verified.document.id);
  return { ok: true, ...session, document: verified.document };
}

export function createOperators(deps: {
  book: CredentialBook;
  sessions: Sessions;
  store: Pick<Store, "getDocument" | "listDocumentsInState">;
  ids: IdGenerator;
}) {
  const { book, sessions, store, ids } = deps;
  return {
    async create(input: CreateOperatorBody, actor: string) {
      const enrolled = await book.enroll({
        id: ids.next("op"),
        cardholderId: null,
        email: input.email,
        password: input.password,
        profile: { name: input.name, role: input.role },
        actor,
      });
      if (!enrolled.ok) {
        return { ok: false as const, code: "operator_email_taken" as const };
      }
      return { ok: true as const, operator: operatorFromDocument(enrolled.document), totp: enrolled.totp };
    },

    /** Signs in and answers who signed in, from the document the password was checked against. */
    async signIn(input: { email: string; password: string; code: string }) {
      const result = await signInWith(book, sessions, (document) => ({ operatorId: document.id }), input);
      return result.ok ? { ...result, operator: operatorFromDocument(result.document) } : result;
    },

    /** The operator behind a bearer token, read fresh so a role change or removal applies at once. */
    async fromAuthorization(authorization: string | undefined): Promise<Operator | null> {
      const operatorId = await sessions.operatorOf(authorization);
      if (operatorId === null) {
        return null;
      }
      const document = await store.getDocument("operator", operatorId);
      return document === null || document.state !== "active" ? null : operatorFromDocument(document);
    },

    async list(): Promise<Operator[]> {
      const page = await store.listDocumentsInState("operator", "active", null, limits.pageSizeMax);
      return page.rows.map(operatorFromDocument);
    },

    signOut: (authorization: string | undefined, actor: string) => sessions.close(authorization, actor),
  };
}

export type Operators = ReturnType<typeof createOperators>;
