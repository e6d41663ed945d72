/**
 * Rulesets are versioned and move draft → shadow → active → retired. The active ruleset decides;
 * a shadow ruleset is evaluated beside it and its decisions recorded, never enforced. Compiled
 * forms live in memory so scoring never parses.
 */
import type { RulesetView } from "@mimamori/contracts";
import { compileRuleset, type Diagnostic } from "@mimamori/rules";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { LoadedRuleset } from "../scoring/index.ts";
import { featureSchema } from "../scoring/index.ts";
import type { GroupCommitter, RulesetRecord, RulesetStatus, Store, WriteOp } from "../storage/index.ts";
import { defaultRulesetName, defaultRulesetText } from "./default-ruleset.ts";

export type { RulesetView };

export type CreateRulesetResult =
  | { ok: true; ruleset: RulesetView }
  | { ok: false; code: "ruleset_invalid"; message: string; diagnostics: readonly Diagnostic[] };

export type TransitionResult =
  | { ok: true; ruleset: RulesetView }
  | { ok: false; code: "ruleset_not_found" | "ruleset_transition_invalid"; message: string };

const structureLimits = {
  rulesMax: limits.rulesPerRulesetMax,
  nodesPerRuleMax: limits.ruleNodesMax,
  depthMax: limits.ruleDepthMax,
};

/** The moves a ruleset may make. Activating or shadowing one retires the one it replaces. */
const allowedTransitions: Readonly<Record<RulesetStatus, readonly RulesetStatus[]>> = {
  draft: ["shadow", "active", "retired"],
  shadow: ["active", "retired"],
  active: [],
  retired: [],
};

export function compileRulesetText(text: string) {
  return compileRuleset(text, featureSchema, structureLimits);
}

function toView(record: RulesetRecord): RulesetView {
  return {
    id: record.id,
    version: record.version,
    name: record.name,
    status: record.status,
    text: record.text,
    createdAt: new Date(record.createdAtMs).toISOString(),
    updatedAt: new Date(record.updatedAtMs).toISOString(),
  };
}

function load(record: RulesetRecord): LoadedRuleset {
  const compiled = compileRulesetText(record.text);
  // Only rulesets that compiled were ever saved; a failure here means the schema lost a feature.
  assert(compiled.ok, `stored ruleset ${record.id} no longer compiles`);
  return { id: record.id, version: record.version, compiled: compiled.value };
}

export async function createRulesetService(deps: {
  store: Pick<Store, "listRulesets">;
  committer: Pick<GroupCommitter, "submit">;
  ids: IdGenerator;
  clock: Clock;
}) {
  const { committer, ids, clock } = deps;
  const records = new Map<string, RulesetRecord>();
  for (const record of await deps.store.listRulesets()) {
    records.set(record.id, record);
  }
  let active: LoadedRuleset | null = null;
  let shadow: LoadedRuleset | null = null;
  let versionMax = 0;
  for (const record of records.values()) {
    versionMax = Math.max(versionMax, record.version);
    if (record.status === "active") {
      active = load(record);
    } else if (record.status === "shadow") {
      shadow = load(record);
    }
  }

  const submit = async (
    ops: WriteOp[],
    action: string,
    record: RulesetRecord,
    actor: string,
  ): Promise<void> => {
    const result = await committer.submit({
      ops,
      audit: [
        {
          actor,
          action,
          subjectId: record.id,
          payload: { version: record.version, name: record.name, status: record.status },
          atMs: record.updatedAtMs,
        },
      ],
    });
    if (!result.ok) {
      throw new Error(`ruleset write failed: ${result.code}`);
    }
  };

  // Creating and moving rulesets read and write shared state across awaits, so they run one at a time.
  let tail: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  const service = {
    active(): LoadedRuleset {
      assert(active !== null, "an active ruleset exists once the service has started");
      return active;
    },
    shadow: (): LoadedRuleset | null => shadow,
    list: (): RulesetView[] => [...records.values()].sort((a, b) => b.version - a.version).map(toView),
    get(id: string): RulesetView | undefined {
      const record = records.get(id);
      return record === undefined ? undefined : toView(record);
    },

    /** Who acted is the API key's holder unless an operator is named (the console). */
    create: (input: { name: string; text: string }, actor = "api_key"): Promise<CreateRulesetResult> =>
      oneAtATime(async () => {
        const compiled = compileRulesetText(input.text);
        if (!compiled.ok) {
          return {
            ok: false,
            code: "ruleset_invalid",
            message: `The ruleset has ${compiled.diagnostics.length} error(s).`,
            diagnostics: compiled.diagnostics,
          };
        }
        const nowMs = clock.nowMs();
        versionMax += 1;
        const record: RulesetRecord = {
          id: ids.next("rs"),
          version: versionMax,
          name: input.name,
          text: input.text,
          status: "draft",
          createdAtMs: nowMs,
          updatedAtMs: nowMs,
        };
        await submit([{ kind: "insertRuleset", ruleset: record }], "ruleset.created", record, actor);
        records.set(record.id, record);
        return { ok: true, ruleset: toView(record) };
      }),

    transition: (
      id: string,
      status: "shadow" | "active" | "retired",
      actor = "api_key",
    ): Promise<TransitionResult> =>
      oneAtATime(async () => {
        const record = records.get(id);
        if (record === undefined) {
          return { ok: false, code: "ruleset_not_found", message: "No ruleset with that id." };
        }
        if (!allowedTransitions[record.status].includes(status)) {
          return {
            ok: false,
            code: "ruleset_transition_invalid",
            message: `A ${record.status} ruleset cannot become ${status}.`,
          };
        }
        const nowMs = clock.nowMs();
        const updated: RulesetRecord = { ...record, status, updatedAtMs: nowMs };
        const ops: WriteOp[] = [{ kind: "updateRulesetStatus", rulesetId: id, status, atMs: nowMs }];
        const replaced = status === "active" ? active : status === "shadow" ? shadow : null;
        // A ruleset that moves from shadow to active leaves the shadow slot empty, not retired twice.
        if (replaced !== null && replaced.id !== id) {
          ops.push({ kind: "updateRulesetStatus", rulesetId: replaced.id, status: "retired", atMs: nowMs });
        }
        await submit(ops, `ruleset.${status === "active" ? "activated" : status}`, updated, actor);
        records.set(id, updated);
        if (replaced !== null && replaced.id !== id) {
          const old = records.get(replaced.id);
          assert(old !== undefined, "the replaced ruleset is known");
          records.set(old.id, { ...old, status: "retired", updatedAtMs: nowMs });
        }
        if (status === "active") {
          active = load(updated);
          if (shadow?.id === id) {
            shadow = null;
          }
        } else if (status === "shadow") {
          shadow = load(updated);
        } else if (shadow?.id === id) {
          shadow = null;
        }
        return { ok: true, ruleset: toView(updated) };
      }),
  };

  // A new issuer starts with the default ruleset active, so the first authorization is scored.
  if (active === null) {
    const created = await service.create({ name: defaultRulesetName, text: defaultRulesetText });
    assert(created.ok, "the default ruleset compiles");
    const activated = await service.transition(created.ruleset.id, "active");
    assert(activated.ok, "the default ruleset activates");
  }
  return service;
}

export type RulesetService = Awaited<ReturnType<typeof createRulesetService>>;
