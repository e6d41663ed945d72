/**
 * Four eyes on the rules in force: from the console, a ruleset becomes active only when one
 * supervisor asks and a different one approves. The request is a document keyed by the ruleset,
 * so there is one open request per ruleset and a restart keeps it.
 */
import type { ActivationRequestView } from "@mimamori/contracts";
import { limits } from "../config/limits.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import { type DocumentRecord, type GroupCommitter, newDocument, type Store } from "../storage/index.ts";
import type { RulesetService, RulesetView } from "./ruleset-service.ts";

type Person = { id: string; name: string };
type RequestBody = { rulesetId: string; requestedById: string; requestedByName: string };

export type ActivationResult =
  | { ok: true; ruleset: RulesetView }
  | {
      ok: false;
      code:
        | "ruleset_not_found"
        | "ruleset_transition_invalid"
        | "activation_not_requested"
        | "second_person_required";
      message?: string;
    };

function requestView(document: DocumentRecord): ActivationRequestView {
  const body = document.body as RequestBody;
  return {
    rulesetId: body.rulesetId,
    requestedBy: { id: body.requestedById, name: body.requestedByName },
    requestedAt: new Date(document.createdAtMs).toISOString(),
  };
}

export function createActivationRequests(deps: {
  rulesets: RulesetService;
  store: Pick<Store, "findDocumentByLookupKey" | "listDocumentsInState">;
  committer: Pick<GroupCommitter, "submit">;
  ids: IdGenerator;
  clock: Clock;
}) {
  const { rulesets, store, committer, ids, clock } = deps;
  const pendingOf = async (rulesetId: string) => {
    const document = await store.findDocumentByLookupKey("activation_request", rulesetId);
    return document !== null && document.state === "pending" ? document : null;
  };

  return {
    async pending(): Promise<ActivationRequestView[]> {
      const page = await store.listDocumentsInState(
        "activation_request",
        "pending",
        null,
        limits.pageSizeMax,
      );
      return page.rows.map(requestView);
    },

    async request(
      rulesetId: string,
      by: Person,
    ): Promise<
      | { ok: true; request: ActivationRequestView }
      | { ok: false; code: "ruleset_not_found" | "ruleset_transition_invalid" }
    > {
      const ruleset = rulesets.get(rulesetId);
      if (ruleset === undefined) {
        return { ok: false, code: "ruleset_not_found" };
      }
      if (ruleset.status !== "draft" && ruleset.status !== "shadow") {
        return { ok: false, code: "ruleset_transition_invalid" };
      }
      const existing = await pendingOf(rulesetId);
      if (existing !== null) {
        return { ok: true, request: requestView(existing) };
      }
      const nowMs = clock.nowMs();
      const document = newDocument(
        {
          kind: "activation_request",
          id: ids.next("actreq"),
          cardId: null,
          cardholderId: null,
          state: "pending",
          lookupKey: rulesetId,
          body: { rulesetId, requestedById: by.id, requestedByName: by.name } satisfies RequestBody,
        },
        nowMs,
      );
      const result = await committer.submit({
        ops: [{ kind: "insertDocument", document }],
        audit: [
          {
            actor: by.id,
            action: "ruleset.activation_requested",
            subjectId: rulesetId,
            payload: {},
            atMs: nowMs,
          },
        ],
      });
      if (!result.ok) {
        // A request for this ruleset was made a moment ago (the lookup key is unique): it stands.
        const raced = await pendingOf(rulesetId);
        if (raced !== null) {
          return { ok: true, request: requestView(raced) };
        }
        throw new Error(`activation request insert failed: ${result.code}`);
      }
      return { ok: true, request: requestView(document) };
    },

    async approve(rulesetId: string, by: Person): Promise<ActivationResult> {
      const request = await pendingOf(rulesetId);
      if (request === null) {
        return rulesets.get(rulesetId) === undefined
          ? { ok: false, code: "ruleset_not_found" }
          : { ok: false, code: "activation_not_requested" };
      }
      if ((request.body as RequestBody).requestedById === by.id) {
        return { ok: false, code: "second_person_required" };
      }
      const nowMs = clock.nowMs();
      const closed = await committer.submit({
        ops: [
          {
            kind: "updateDocument",
            document: { ...request, version: request.version + 1, state: "approved", updatedAtMs: nowMs },
          },
        ],
        audit: [
          {
            actor: by.id,
            action: "ruleset.activation_approved",
            subjectId: rulesetId,
            payload: {},
            atMs: nowMs,
          },
        ],
      });
      if (!closed.ok) {
        return { ok: false, code: "activation_not_requested", message: "The request was already settled." };
      }
      const moved = await rulesets.transition(rulesetId, "active", by.id);
      return moved.ok
        ? { ok: true, ruleset: moved.ruleset }
        : { ok: false, code: moved.code, message: moved.message };
    },
  };
}

export type ActivationRequests = ReturnType<typeof createActivationRequests>;
