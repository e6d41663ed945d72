/**
 * The models the server may score with, kept as documents of kind "model" whose body is the
 * artifact as `mimamori train` wrote it. A model arrives as the shadow: it is scored beside the
 * active one and recorded, never enforced, until a supervisor promotes it; the one it replaces is
 * retired. At most one model is active and one in shadow, and the store holds us to that: their
 * documents carry the lookup key "active" or "shadow", unique within the kind, so two processes
 * changing the registry at once cannot both win, and every state change is a compare-and-set.
 * Scoring reads the two compiled models from memory, synchronously.
 */
import type { ModelState, ModelView } from "@mimamori/contracts";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import type { ServingModel } from "../scoring/index.ts";
import {
  type AuditDraft,
  type DocumentRecord,
  forEachDocumentInState,
  type GroupCommitter,
  newDocument,
  type Store,
  type WriteOp,
} from "../storage/index.ts";
import { type ModelArtifact, parseModelArtifact } from "./artifact.ts";
import type { LabelLedger } from "./label-ledger.ts";
import { createServingModel } from "./serving.ts";

export type { ModelState, ModelView };

type Refusal<Code extends string> = { readonly ok: false; readonly code: Code; readonly message: string };
type Changed = { readonly ok: true; readonly model: ModelView };

export type UploadModelResult =
  | Changed
  | Refusal<"invalid_model" | "model_features_mismatch" | "model_already_active" | "model_conflict">;
export type PromoteModelResult = Changed | Refusal<"model_not_found" | "model_not_shadow" | "model_conflict">;
export type RetireModelResult = Changed | Refusal<"model_not_found" | "model_conflict">;
/** What a process makes of a model document another process wrote. */
export type AbsorbModelResult = { readonly ok: true } | Refusal<"invalid_model" | "model_features_mismatch">;

/** A model in the active or shadow slot: its document (for the next compare-and-set) and its compiled form. */
type Slot = { readonly document: DocumentRecord; readonly serving: ServingModel };
/** One document written by a change, with its audit entry. */
type Change = { readonly op: WriteOp; readonly document: DocumentRecord; readonly audit: AuditDraft };
/** What the registry remembers of every model, retired ones included: never the trees. */
type Entry = { readonly view: ModelView; readonly version: number; readonly createdAtMs: number };

const conflict: Refusal<"model_conflict"> = {
  ok: false,
  code: "model_conflict",
  message: "The registry changed while this was asked (another operator or process); reload and retry.",
};

function stateOf(document: DocumentRecord): ModelState {
  assert(
    document.state === "shadow" || document.state === "active" || document.state === "retired",
    `model ${document.id} is shadow, active or retired`,
  );
  return document.state;
}

/** The artifact of a stored document: only parsed artifacts are ever stored. */
function artifactOf(document: DocumentRecord): ModelArtifact {
  return document.body as ModelArtifact;
}

function viewOf(document: DocumentRecord): ModelView {
  const artifact = artifactOf(document);
  return {
    id: document.id,
    state: stateOf(document),
    trainedAt: artifact.trainedAt,
    training: { ...artifact.training },
    validation: { ...artifact.validation },
    treeCount: artifact.gbdt.trees.length,
    createdAt: new Date(document.createdAtMs).toISOString(),
    updatedAt: new Date(document.updatedAtMs).toISOString(),
  };
}

/** A model's document in a new state: the lookup key claims the slot, or frees it on retirement. */
function movedTo(
  document: DocumentRecord,
  state: ModelState,
  nowMs: number,
  artifact: ModelArtifact = artifactOf(document),
): DocumentRecord {
  return {
    ...document,
    version: document.version + 1,
    state,
    lookupKey: state === "retired" ? null : state,
    updatedAtMs: Math.max(nowMs, document.createdAtMs),
    body: artifact,
  };
}

/**
 * The label ledger as several models read it. Each served model reads forward from its own
 * first payment, and the ledger refuses a read behind what it already revealed; a model promoted
 * or uploaded mid-run would start behind the one before it. Reading no earlier than the latest
 * reveal is what one model already does for a payment that arrives late.
 */
function sharedByModels(ledger: LabelLedger): LabelLedger {
  let revealedMs = Number.NEGATIVE_INFINITY;
  return {
    add: (label) => ledger.add(label),
    reveal(nowMs) {
      revealedMs = Math.max(revealedMs, nowMs);
      ledger.reveal(revealedMs);
    },
    featuresAt: (nowMs, cardId, merchantId, terminalId, out) =>
      ledger.featuresAt(Math.max(nowMs, revealedMs), cardId, merchantId, terminalId, out),
    compromiseKnownAtMs: (cardId) => ledger.compromiseKnownAtMs(cardId),
    get pendingCount() {
      return ledger.pendingCount;
    },
  };
}

export type ModelRegistryDeps = {
  store: Pick<Store, "listDocumentsInState" | "getDocument" | "findDocumentByLookupKey">;
  committer: Pick<GroupCommitter, "submit">;
  clock: Clock;
  /** The loop's labels, shared by every model this registry compiles. */
  ledger: LabelLedger;
};

/**
 * Loads the registry: every model's view, and the active and shadow models compiled. A stored
 * model this build cannot serve (its vector changed with an upgrade) is refused with its code,
 * so a process never runs believing a model is active when it is not.
 */
export async function loadModelRegistry(
  deps: ModelRegistryDeps,
): Promise<{ ok: true; registry: ModelRegistry } | Refusal<"invalid_model" | "model_features_mismatch">> {
  const registry = createModelRegistry(deps);
  let refusal: Refusal<"invalid_model" | "model_features_mismatch"> | null = null;
  for (const state of ["retired", "shadow", "active"] as const) {
    // A page at a time: a retired model's trees are dropped once its view is taken.
    await forEachDocumentInState(deps.store, "model", state, limits.modelPageRows, (document) => {
      const absorbed = registry.absorb(document);
      if (!absorbed.ok && refusal === null) {
        refusal = { ...absorbed, message: `stored model ${document.id}: ${absorbed.message}` };
      }
    });
  }
  return refusal ?? { ok: true, registry };
}

function createModelRegistry(deps: ModelRegistryDeps) {
  const { store, committer, clock } = deps;
  const ledger = sharedByModels(deps.ledger);
  const entries = new Map<string, Entry>();
  let active: Slot | null = null;
  let shadow: Slot | null = null;

  /** The compiled model of a slot's document: reused when it only moves between slots. */
  const servingOf = (document: DocumentRecord): ServingModel => {
    const held = [active, shadow].find((slot) => slot?.document.id === document.id);
    return held?.serving ?? createServingModel(artifactOf(document), ledger, clock);
  };

  /** Memory follows a document at a version newer than it has: ours once committed, or another process's. */
  const take = (document: DocumentRecord): void => {
    const state = stateOf(document);
    entries.set(document.id, {
      view: viewOf(document),
      version: document.version,
      createdAtMs: document.createdAtMs,
    });
    if (state === "retired") {
      active = active?.document.id === document.id ? null : active;
      shadow = shadow?.document.id === document.id ? null : shadow;
      return;
    }
    const slot = { document, serving: servingOf(document) };
    if (state === "active") {
      active = slot;
      shadow = shadow?.document.id === document.id ? null : shadow;
    } else {
      shadow = slot;
      active = active?.document.id === document.id ? null : active;
    }
  };

  const absorb = (document: DocumentRecord): AbsorbModelResult => {
    if (document.kind !== "model" || (entries.get(document.id)?.version ?? 0) >= document.version) {
      return { ok: true };
    }
    // Only the models that will score are checked in full; a retired one is only listed.
    if (stateOf(document) !== "retired") {
      const parsed = parseModelArtifact(document.body);
      if (!parsed.ok) {
        return parsed;
      }
    }
    take(document);
    return { ok: true };
  };

  /** After a refused compare-and-set: what the store holds now, so a retry starts from it. */
  const refresh = async (ids: readonly string[]): Promise<void> => {
    const documents = await Promise.all([
      store.findDocumentByLookupKey("model", "active"),
      store.findDocumentByLookupKey("model", "shadow"),
      ...ids.map((id) => store.getDocument("model", id)),
    ]);
    for (const document of documents) {
      if (document !== null) {
        absorb(document);
      }
    }
  };

  /**
   * Commits the documents (slots freed before they are claimed, so the unique key never sees
   * two holders) with one audit entry each, then moves memory. A lost compare-and-set leaves
   * memory as the store has it and answers model_conflict.
   */
  const commit = async (changes: readonly Change[]): Promise<boolean> => {
    const result = await committer.submit({
      ops: changes.map((change) => change.op),
      audit: changes.map((change) => change.audit),
    });
    if (!result.ok) {
      await refresh(changes.map((change) => change.document.id));
      return false;
    }
    for (const change of changes) {
      take(change.document);
    }
    return true;
  };

  const change = (
    op: "insertDocument" | "updateDocument",
    document: DocumentRecord,
    audit: Omit<AuditDraft, "subjectId" | "atMs">,
  ): Change => ({
    op: { kind: op, document },
    document,
    audit: { ...audit, subjectId: document.id, atMs: document.updatedAtMs },
  });

  /** Retires the model in a slot, to make room for `replacedBy`. */
  const retirement = (slot: Slot | null, replacedBy: string, actor: string, nowMs: number) =>
    slot === null || slot.document.id === replacedBy
      ? []
      : [
          change("updateDocument", movedTo(slot.document, "retired", nowMs), {
            actor,
            action: "model.retired",
            payload: { from: stateOf(slot.document), replacedBy },
          }),
        ];

  /** The audit payload of a model coming in: what it learned from, not its trees. */
  const arrival = (artifact: ModelArtifact) => ({
    trainedAt: artifact.trainedAt,
    training: artifact.training,
    validation: artifact.validation,
    treeCount: artifact.gbdt.trees.length,
  });

  /** A model into a slot: inserted when new, moved back from retirement when known. */
  const arriving = (
    artifact: ModelArtifact,
    state: "shadow" | "active",
    action: string,
    actor: string,
    nowMs: number,
  ) => {
    const known = entries.get(artifact.id);
    const audit = { actor, action, payload: arrival(artifact) };
    const document = newDocument(
      {
        kind: "model",
        id: artifact.id,
        cardId: null,
        cardholderId: null,
        state,
        lookupKey: state,
        body: artifact,
      },
      nowMs,
    );
    return known === undefined
      ? change("insertDocument", document, audit)
      : change(
          "updateDocument",
          {
            ...document,
            version: known.version + 1,
            createdAtMs: known.createdAtMs,
            updatedAtMs: Math.max(nowMs, known.createdAtMs),
          },
          audit,
        );
  };

  const viewOfId = (id: string): ModelView => {
    const entry = entries.get(id);
    assert(entry !== undefined, `model ${id} is known after its change`);
    return entry.view;
  };

  // Changes read memory, await the store and move memory, so they run one at a time.
  let tail: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  return {
    active: (): ServingModel | null => active?.serving ?? null,
    shadow: (): ServingModel | null => shadow?.serving ?? null,
    /** Active first, then the shadow, then retired models, most recently changed first. */
    list(): ModelView[] {
      const rank: Record<ModelState, number> = { active: 0, shadow: 1, retired: 2 };
      return [...entries.values()]
        .map((entry) => entry.view)
        .sort((a, b) => rank[a.state] - rank[b.state] || b.updatedAt.localeCompare(a.updatedAt))
        .slice(0, limits.pageSizeMax);
    },
    absorb,
    /** A model's view, or null for an id the registry has never stored. */
    find: (id: string): ModelView | null => entries.get(id)?.view ?? null,
    /** A word that changes whenever the model's document does: what a promotion request was made on. */
    stampOf: (id: string): string | null => {
      const entry = entries.get(id);
      return entry === undefined ? null : `v${entry.version}`;
    },

    /** A trained model becomes the shadow, retiring the shadow before it. */
    upload: (json: unknown, actor: string): Promise<UploadModelResult> =>
      oneAtATime(async () => {
        const parsed = parseModelArtifact(json);
        if (!parsed.ok) {
          return parsed;
        }
        const { artifact } = parsed;
        const state = entries.get(artifact.id)?.view.state;
        if (state === "active") {
          return {
            ok: false,
            code: "model_already_active",
            message: `${artifact.id} is already active; upload a different model to shadow it.`,
          };
        }
        if (state === "shadow") {
          return { ok: true, model: viewOfId(artifact.id) };
        }
        const nowMs = clock.nowMs();
        const isCommitted = await commit([
          ...retirement(shadow, artifact.id, actor, nowMs),
          arriving(artifact, "shadow", "model.uploaded", actor, nowMs),
        ]);
        return isCommitted ? { ok: true, model: viewOfId(artifact.id) } : conflict;
      }),

    /**
     * The shadow model becomes active; the active one before it is retired. The console reaches
     * this only through a second supervisor's approval (promotion.ts).
     */
    promote: (id: string, actor: string): Promise<PromoteModelResult> =>
      oneAtATime(async () => {
        const entry = entries.get(id);
        if (entry === undefined) {
          return { ok: false, code: "model_not_found", message: `No model ${id} in the registry.` };
        }
        if (shadow === null || shadow.document.id !== id) {
          return {
            ok: false,
            code: "model_not_shadow",
            message: `${id} is ${entry.view.state}; only the shadow model can be promoted.`,
          };
        }
        const nowMs = clock.nowMs();
        const isCommitted = await commit([
          ...retirement(active, id, actor, nowMs),
          change("updateDocument", movedTo(shadow.document, "active", nowMs), {
            actor,
            action: "model.promoted",
            payload: { replaced: active?.document.id ?? null },
          }),
        ]);
        return isCommitted ? { ok: true, model: viewOfId(id) } : conflict;
      }),

    /** Takes a model out of its slot: the active one stops scoring, a shadow stops being recorded. */
    retire: (id: string, actor: string): Promise<RetireModelResult> =>
      oneAtATime(async () => {
        const entry = entries.get(id);
        if (entry === undefined) {
          return { ok: false, code: "model_not_found", message: `No model ${id} in the registry.` };
        }
        const slot = [active, shadow].find((held) => held?.document.id === id) ?? null;
        if (slot === null) {
          // Already retired: nothing changes, so nothing is written or audited.
          return { ok: true, model: entry.view };
        }
        const nowMs = clock.nowMs();
        const isCommitted = await commit([
          change("updateDocument", movedTo(slot.document, "retired", nowMs), {
            actor,
            action: "model.retired",
            payload: { from: stateOf(slot.document), replacedBy: null },
          }),
        ]);
        return isCommitted ? { ok: true, model: viewOfId(id) } : conflict;
      }),

    /**
     * The model a deployment names in MIMAMORI_MODEL_FILE, made active if the registry has never
     * seen it. Once known, the registry decides: a restart with the same file does not undo a
     * promotion or a retirement made in the console since.
     */
    adopt: (artifact: ModelArtifact, actor: string): Promise<{ ok: true } | Refusal<"model_conflict">> =>
      oneAtATime(async () => {
        if (entries.has(artifact.id)) {
          return { ok: true };
        }
        const nowMs = clock.nowMs();
        const isCommitted = await commit([
          ...retirement(active, artifact.id, actor, nowMs),
          arriving(artifact, "active", "model.imported", actor, nowMs),
        ]);
        // Another process starting with the same file may have imported it a moment before.
        return isCommitted || entries.has(artifact.id) ? { ok: true } : conflict;
      }),
  };
}

export type ModelRegistry = ReturnType<typeof createModelRegistry>;
