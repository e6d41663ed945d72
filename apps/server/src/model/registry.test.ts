import assert from "node:assert/strict";
import { test } from "node:test";
import { createManualClock } from "../platform/clock.ts";
import { compileRulesetText, defaultRulesetName, defaultRulesetText } from "../rulesets/index.ts";
import { makeAuthorization, makeCard } from "../scoring/features/test-support.ts";
import { createFeatureState, createScoringEngine, type LoadedRuleset } from "../scoring/index.ts";
import { type AuditEntry, createGroupCommitter, openStore, type Store } from "../storage/index.ts";
import type { ModelArtifact } from "./artifact.ts";
import { createLabelLedger } from "./label-ledger.ts";
import { loadModelRegistry, type ModelRegistry } from "./registry.ts";
import { trainTestArtifact } from "./test-support.ts";

const first = trainTestArtifact({ id: "model_00000000000000a1", seed: 7 });
const second = trainTestArtifact({ id: "model_00000000000000b2", seed: 8 });
const third = trainTestArtifact({ id: "model_00000000000000c3", seed: 9 });

/** A JSON round trip: what arrives over HTTP, not the object the test holds. */
const uploaded = (artifact: ModelArtifact): unknown => JSON.parse(JSON.stringify(artifact));

/** One store and committer, and registries over them: each one as a process would load it. */
async function createWorld() {
  const clock = createManualClock(Date.parse("2026-11-20T03:00:00Z"));
  const store = await openStore({ kind: "memory" });
  const committer = createGroupCommitter({
    store,
    clock,
    batchMax: 16,
    batchDelayMs: 0,
    audit: { seq: 0, hash: "0".repeat(64) },
  });
  const open = async (): Promise<ModelRegistry> => {
    const loaded = await loadModelRegistry({ store, committer, clock, ledger: createLabelLedger() });
    assert.ok(loaded.ok, JSON.stringify(loaded));
    return loaded.registry;
  };
  return { clock, store, open };
}

async function auditOf(store: Store): Promise<AuditEntry[]> {
  return [...(await store.listAudit(0, 1_000))];
}

/** Each model's state as the registry lists it, id → state. */
const statesOf = (registry: ModelRegistry) =>
  Object.fromEntries(registry.list().map((model) => [model.id, model.state]));

test("an upload becomes the shadow and nothing else: the active slot stays as it was", async () => {
  const { open } = await createWorld();
  const registry = await open();
  const result = await registry.upload(uploaded(first), "op_ana");
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.model.state, "shadow");
  assert.equal(result.model.treeCount, first.gbdt.trees.length);
  assert.deepEqual(result.model.training, first.training);
  assert.equal(registry.shadow()?.id, first.id);
  assert.equal(registry.active(), null);
  assert.ok(!JSON.stringify(registry.list()).includes("threshold"), "views never carry the trees");
});

test("promotion makes the shadow active and retires the model it replaces", async () => {
  const { open } = await createWorld();
  const registry = await open();
  assert.ok((await registry.upload(uploaded(first), "op_ana")).ok);
  assert.ok((await registry.promote(first.id, "op_sue")).ok);
  assert.equal(registry.active()?.id, first.id);
  assert.equal(registry.shadow(), null, "the shadow slot is left empty, not filled by the promoted model");

  assert.ok((await registry.upload(uploaded(second), "op_ana")).ok);
  assert.equal(registry.active()?.id, first.id, "an upload does not touch the active model");
  const promoted = await registry.promote(second.id, "op_sue");
  assert.ok(promoted.ok && promoted.model.state === "active");
  assert.equal(registry.active()?.id, second.id);
  assert.deepEqual(statesOf(registry), { [second.id]: "active", [first.id]: "retired" });
  assert.equal(registry.list()[0]?.id, second.id, "the active model is listed first");
});

test("an upload over a shadow retires it: there is never more than one shadow", async () => {
  const { open } = await createWorld();
  const registry = await open();
  assert.ok((await registry.upload(uploaded(first), "op_ana")).ok);
  assert.ok((await registry.upload(uploaded(second), "op_ana")).ok);
  assert.equal(registry.shadow()?.id, second.id);
  assert.deepEqual(statesOf(registry), { [second.id]: "shadow", [first.id]: "retired" });
  const again = await registry.upload(uploaded(second), "op_ana");
  assert.ok(again.ok && again.model.state === "shadow", "uploading the shadow again changes nothing");
});

test("only the shadow can be promoted: a second promotion is model_not_shadow, an unknown id model_not_found", async () => {
  const { open } = await createWorld();
  const registry = await open();
  assert.ok((await registry.upload(uploaded(first), "op_ana")).ok);
  assert.ok((await registry.promote(first.id, "op_sue")).ok);
  const twice = await registry.promote(first.id, "op_sue");
  assert.ok(!twice.ok && twice.code === "model_not_shadow", JSON.stringify(twice));
  const unknown = await registry.promote("model_ffffffffffffffff", "op_sue");
  assert.ok(!unknown.ok && unknown.code === "model_not_found");
  const retireUnknown = await registry.retire("model_ffffffffffffffff", "op_sue");
  assert.ok(!retireUnknown.ok && retireUnknown.code === "model_not_found");
  const reupload = await registry.upload(uploaded(first), "op_ana");
  assert.ok(!reupload.ok && reupload.code === "model_already_active");
});

test("a body that is not a model, or a model of another vector, is refused with its code and nothing is stored", async () => {
  const { open, store } = await createWorld();
  const registry = await open();
  const broken = await registry.upload({ format: "mimamori-model", formatVersion: 2 }, "op_ana");
  assert.ok(!broken.ok && broken.code === "invalid_model");
  const renamed = {
    ...first,
    gbdt: { ...first.gbdt, featureNames: first.gbdt.featureNames.map((name) => `${name}!`) },
  };
  const mismatched = await registry.upload(uploaded(renamed), "op_ana");
  assert.ok(!mismatched.ok && mismatched.code === "model_features_mismatch");
  assert.deepEqual(registry.list(), []);
  assert.deepEqual(await auditOf(store), []);
});

test("every change is in the audit log with who made it, and a retired model never scores", async () => {
  const { open, store } = await createWorld();
  const registry = await open();
  assert.ok((await registry.upload(uploaded(first), "op_ana")).ok);
  assert.ok((await registry.promote(first.id, "op_sue")).ok);
  assert.ok((await registry.upload(uploaded(second), "op_ana")).ok);
  assert.ok((await registry.upload(uploaded(third), "op_ana")).ok);
  assert.ok((await registry.promote(third.id, "op_sue")).ok);
  const retired = await registry.retire(third.id, "op_sue");
  assert.ok(retired.ok && retired.model.state === "retired");
  assert.equal(registry.active(), null, "with the active model retired, none scores");
  const entries = (await auditOf(store)).map((entry) => [entry.action, entry.subjectId, entry.actor]);
  assert.deepEqual(entries, [
    ["model.uploaded", first.id, "op_ana"],
    ["model.promoted", first.id, "op_sue"],
    ["model.uploaded", second.id, "op_ana"],
    ["model.retired", second.id, "op_ana"],
    ["model.uploaded", third.id, "op_ana"],
    ["model.retired", first.id, "op_sue"],
    ["model.promoted", third.id, "op_sue"],
    ["model.retired", third.id, "op_sue"],
  ]);
  const again = await registry.retire(third.id, "op_sue");
  assert.ok(again.ok, "retiring a retired model is not an error");
  assert.equal((await auditOf(store)).length, entries.length, "and it writes nothing");
});

test("a registry loaded again over the same store serves the same active and shadow models", async () => {
  const { open } = await createWorld();
  const before = await open();
  assert.ok((await before.upload(uploaded(first), "op_ana")).ok);
  assert.ok((await before.promote(first.id, "op_sue")).ok);
  assert.ok((await before.upload(uploaded(second), "op_ana")).ok);
  const after = await open();
  assert.equal(after.active()?.id, first.id);
  assert.equal(after.shadow()?.id, second.id);
  assert.deepEqual(after.list(), before.list());
});

test("two processes cannot both fill the shadow slot: the later one answers model_conflict, then sees the store", async () => {
  const { open } = await createWorld();
  const one = await open();
  const other = await open();
  assert.ok((await one.upload(uploaded(first), "op_ana")).ok);
  const lost = await other.upload(uploaded(second), "op_bob");
  assert.ok(!lost.ok && lost.code === "model_conflict", JSON.stringify(lost));
  assert.equal(other.shadow()?.id, first.id, "the refused process read what won");
  const retried = await other.upload(uploaded(second), "op_bob");
  assert.ok(retried.ok, JSON.stringify(retried));
  // The first process still believes its model is the shadow: its promotion loses the compare-and-set.
  const stale = await one.promote(first.id, "op_sue");
  assert.ok(!stale.ok && stale.code === "model_conflict", JSON.stringify(stale));
  assert.equal(one.shadow()?.id, second.id);
});

test("a promotion another process made switches this process's model when its document arrives", async () => {
  const { open, store } = await createWorld();
  const one = await open();
  const other = await open();
  assert.ok((await one.upload(uploaded(first), "op_ana")).ok);
  assert.ok((await one.promote(first.id, "op_sue")).ok);
  assert.ok((await one.upload(uploaded(second), "op_ana")).ok);
  assert.ok((await one.promote(second.id, "op_sue")).ok);
  // The follower hands documents over in any order, and more than once.
  for (const id of [second.id, first.id, second.id]) {
    const document = await store.getDocument("model", id);
    assert.ok(document !== null);
    assert.ok(other.absorb(document).ok);
  }
  assert.equal(other.active()?.id, second.id);
  assert.equal(other.shadow(), null);
  assert.deepEqual(other.list(), one.list());
});

test("a model file the registry has never seen becomes active; once known, the registry decides", async () => {
  const { open, store } = await createWorld();
  const registry = await open();
  assert.ok((await registry.adopt(first, "system")).ok);
  assert.equal(registry.active()?.id, first.id);
  const imported = (await auditOf(store))[0];
  assert.equal(imported?.action, "model.imported");
  assert.equal(imported?.actor, "system");
  assert.ok((await registry.upload(uploaded(second), "op_ana")).ok);
  assert.ok((await registry.promote(second.id, "op_sue")).ok);
  // A restart with the same file does not undo the promotion.
  const restarted = await open();
  assert.ok((await restarted.adopt(first, "system")).ok);
  assert.equal(restarted.active()?.id, second.id);
  // A new file is a deployment's choice: it replaces the active model.
  assert.ok((await restarted.adopt(third, "system")).ok);
  assert.equal(restarted.active()?.id, third.id);
  assert.equal(statesOf(restarted)[second.id], "retired");
});

test("a retired model uploaded again comes back as the shadow, as a way back from a promotion", async () => {
  const { open } = await createWorld();
  const registry = await open();
  assert.ok((await registry.upload(uploaded(first), "op_ana")).ok);
  assert.ok((await registry.promote(first.id, "op_sue")).ok);
  assert.ok((await registry.upload(uploaded(second), "op_ana")).ok);
  assert.ok((await registry.promote(second.id, "op_sue")).ok);
  const back = await registry.upload(uploaded(first), "op_ana");
  assert.ok(back.ok && back.model.state === "shadow", JSON.stringify(back));
  assert.ok((await registry.promote(first.id, "op_sue")).ok);
  assert.equal(registry.active()?.id, first.id);
  assert.equal((await open()).active()?.id, first.id, "and a restart agrees");
});

function defaultRuleset(): LoadedRuleset {
  const compiled = compileRulesetText(defaultRulesetText);
  assert.ok(compiled.ok);
  return { id: defaultRulesetName, version: 1, compiled: compiled.value };
}

test("the shadow model's score is recorded beside the decision and never changes it", async () => {
  const { open, clock } = await createWorld();
  const registry = await open();
  assert.ok((await registry.adopt(first, "system")).ok);
  assert.ok((await registry.upload(uploaded(second), "op_ana")).ok);
  const ruleset = defaultRuleset();
  const engineOf = (shadow: boolean) =>
    createScoringEngine({
      features: createFeatureState(),
      rulesets: { active: () => ruleset, shadow: () => null },
      models: { active: registry.active, shadow: shadow ? registry.shadow : () => null },
    });
  const withShadow = engineOf(true);
  const withoutShadow = engineOf(false);
  const card = makeCard();
  for (const [n, amount] of [3_000, 180_000, 180_000, 2_000].entries()) {
    const occurredAtMs = clock.nowMs() - 3_600_000 + n * 60_000;
    const authorization = makeAuthorization({ externalId: `ext_${n}`, amount, occurredAtMs });
    const recorded = withShadow.score(authorization, card).decision;
    const alone = withoutShadow.score(authorization, card).decision;
    const { shadowModel, ...explanation } = recorded.explanation;
    assert.deepEqual({ ...recorded, explanation }, alone, "the same decision with or without a shadow");
    assert.equal(shadowModel?.modelId, second.id);
    const score = shadowModel?.score ?? -1;
    assert.ok(score >= 0 && score <= 100 && Math.round(score * 10) === score * 10, `score ${score}`);
    assert.equal(alone.explanation.shadowModel, undefined);
  }
});
