/**
 * Four eyes on a change that alters every decision (a ruleset's activation, a model's
 * promotion). One supervisor asks, a different one approves, and only the approval makes the
 * change.
 *
 * A request is a document keyed by its subject, so each subject has at most one open request
 * and a restart keeps it. Settling a request frees the key, so the subject can be asked for
 * again later (a model retired and then uploaded again).
 *
 * A request remembers the subject's state when it was made, as the subject's `stamp`. If the
 * subject has changed since (a model retired and uploaded again), the old request approves
 * nothing.
 */
import { limits } from "../config/limits.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator, IdPrefix } from "../platform/ids.ts";
import {
  type DocumentKind,
  type DocumentRecord,
  type GroupCommitter,
  newDocument,
  type Store,
} from "../storage/index.ts";

export type Person = { readonly id: string; readonly name: string };

export type ChangeRequest = {
  readonly subjectId: string;
  readonly requestedBy: Person;
  readonly requestedAt: string;
};

type Refusal<Code extends string> = { readonly ok: false; readonly code: Code; readonly message?: string };

type RequestBody = {
  readonly requestedById: string;
  readonly requestedByName: string;
  /** The subject's stamp when asked; absent in requests stored before stamps existed. */
  readonly stamp?: string | null;
};

/** What the four-eyes flow needs to know about one kind of subject. */
export type FourEyesSubject<Applied, RequestView, Code extends string, NotRequested extends string> = {
  readonly documentKind: Extract<DocumentKind, "activation_request" | "promotion_request">;
  readonly idPrefix: IdPrefix;
  /** Audit actions, such as "ruleset.activation_requested". */
  readonly actions: { readonly requested: string; readonly approved: string };
  /** The code for an approval nothing asked for. */
  readonly notRequested: NotRequested;
  /** Why the subject cannot be changed now (unknown, in the wrong state), or null when it can. */
  refusal(subjectId: string): Refusal<Code> | null;
  /** The subject's current state in a word that changes whenever it does, or null if it never matters. */
  stamp(subjectId: string): string | null;
  /** The change itself, made once a second person approved. */
  apply(
    subjectId: string,
    by: Person,
  ): Promise<{ readonly ok: true; readonly value: Applied } | Refusal<Code>>;
  /** A request as the console shows it. */
  view(request: ChangeRequest): RequestView;
};

export type FourEyesDeps = {
  store: Pick<Store, "findDocumentByLookupKey" | "listDocumentsInState">;
  committer: Pick<GroupCommitter, "submit">;
  ids: IdGenerator;
  clock: Clock;
};

function bodyOf(document: DocumentRecord): RequestBody {
  return document.body as RequestBody;
}

function requestOf(document: DocumentRecord): ChangeRequest {
  const body = bodyOf(document);
  return {
    subjectId: document.lookupKey ?? "",
    requestedBy: { id: body.requestedById, name: body.requestedByName },
    requestedAt: new Date(document.updatedAtMs).toISOString(),
  };
}

export function createFourEyes<Applied, RequestView, Code extends string, NotRequested extends string>(
  deps: FourEyesDeps,
  subject: FourEyesSubject<Applied, RequestView, Code, NotRequested>,
) {
  const { store, committer, ids, clock } = deps;
  const { documentKind, actions } = subject;
  const openOf = async (subjectId: string): Promise<DocumentRecord | null> => {
    const document = await store.findDocumentByLookupKey(documentKind, subjectId);
    return document !== null && document.state === "pending" ? document : null;
  };
  /** A request made when the subject was in another state asks for nothing now. */
  const isCurrent = (document: DocumentRecord, subjectId: string): boolean =>
    (bodyOf(document).stamp ?? null) === subject.stamp(subjectId);
  const audit = (by: Person, action: string, subjectId: string, atMs: number) => ({
    actor: by.id,
    action,
    subjectId,
    payload: {},
    atMs,
  });

  return {
    /** The open requests, oldest first. */
    async pending(): Promise<RequestView[]> {
      const page = await store.listDocumentsInState(documentKind, "pending", null, limits.pageSizeMax);
      return page.rows
        .filter((document) => isCurrent(document, document.lookupKey ?? ""))
        .map((document) => subject.view(requestOf(document)));
    },

    async request(
      subjectId: string,
      by: Person,
    ): Promise<{ readonly ok: true; readonly request: RequestView } | Refusal<Code>> {
      const refused = subject.refusal(subjectId);
      if (refused !== null) {
        return refused;
      }
      const existing = await openOf(subjectId);
      if (existing !== null && isCurrent(existing, subjectId)) {
        return { ok: true, request: subject.view(requestOf(existing)) };
      }
      const nowMs = clock.nowMs();
      const body: RequestBody = {
        requestedById: by.id,
        requestedByName: by.name,
        stamp: subject.stamp(subjectId),
      };
      // A stale request is taken over in place: its key is the subject's, and one request holds it.
      const document: DocumentRecord =
        existing === null
          ? newDocument(
              {
                kind: documentKind,
                id: ids.next(subject.idPrefix),
                cardId: null,
                cardholderId: null,
                state: "pending",
                lookupKey: subjectId,
                body,
              },
              nowMs,
            )
          : {
              ...existing,
              version: existing.version + 1,
              updatedAtMs: Math.max(nowMs, existing.createdAtMs),
              body,
            };
      const result = await committer.submit({
        ops: [{ kind: existing === null ? "insertDocument" : "updateDocument", document }],
        audit: [audit(by, actions.requested, subjectId, nowMs)],
      });
      if (!result.ok) {
        // Someone asked a moment ago (the key is unique, the update a compare-and-set): that request stands.
        const raced = await openOf(subjectId);
        if (raced !== null) {
          return { ok: true, request: subject.view(requestOf(raced)) };
        }
        throw new Error(`${documentKind} write failed: ${result.code}`);
      }
      return { ok: true, request: subject.view(requestOf(document)) };
    },

    async approve(
      subjectId: string,
      by: Person,
    ): Promise<
      { readonly ok: true; readonly value: Applied } | Refusal<Code | NotRequested | "second_person_required">
    > {
      const refused = subject.refusal(subjectId);
      if (refused !== null) {
        return refused;
      }
      const request = await openOf(subjectId);
      if (request === null || !isCurrent(request, subjectId)) {
        return { ok: false, code: subject.notRequested };
      }
      if (bodyOf(request).requestedById === by.id) {
        return { ok: false, code: "second_person_required" };
      }
      const nowMs = clock.nowMs();
      const settled = await committer.submit({
        ops: [
          {
            kind: "updateDocument",
            document: {
              ...request,
              version: request.version + 1,
              state: "approved",
              lookupKey: null,
              updatedAtMs: Math.max(nowMs, request.createdAtMs),
            },
          },
        ],
        audit: [audit(by, actions.approved, subjectId, nowMs)],
      });
      if (!settled.ok) {
        return { ok: false, code: subject.notRequested, message: "The request was already settled." };
      }
      // The request is spent before the change is made: if the change then fails (another change
      // won in between), it must be asked for again, so an approval never stands for later.
      return subject.apply(subjectId, by);
    },
  };
}

export type FourEyes<Applied, RequestView, Code extends string, NotRequested extends string> = ReturnType<
  typeof createFourEyes<Applied, RequestView, Code, NotRequested>
>;
