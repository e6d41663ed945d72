import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Evaluation, ExplainNode, FieldSchema, Snapshot, StructureLimits } from "./api.ts";
import {
  checkedRulesetArbitrary,
  propertyParameters,
  propertySchema,
  snapshotArbitrary,
} from "./arbitraries.ts";
import { AssertionError } from "./assert.ts";
import { type CompiledRuleset, compileRuleset, defaultThresholds } from "./compile.ts";
import { evaluateRuleset } from "./evaluate.ts";
import { explainRule } from "./explain.ts";
import { printRuleset } from "./print.ts";

const schema = {
  amount: "number",
  count: "number",
  channel: "string",
  isForeign: "bool",
} as const satisfies FieldSchema;

const structureLimits: StructureLimits = { rulesMax: 50, nodesPerRuleMax: 10_000, depthMax: 64 };
const fuelPlenty = { fuelMax: 1_000_000 };

function compileOrFail(text: string, fieldSchema: FieldSchema = schema): CompiledRuleset {
  const compiled = compileRuleset(text, fieldSchema, structureLimits);
  assert.ok(compiled.ok, `expected to compile:\n${text}\n${JSON.stringify(compiled)}`);
  return compiled.value;
}

function firedIds(evaluation: Evaluation): readonly string[] {
  return evaluation.fired.map((fired) => fired.ruleId);
}

const snapshot: Snapshot = { amount: 120_000, count: 0, channel: "ecommerce", isForeign: true };

test("rules fire in ruleset order and carry their score, outcome, reason and message", () => {
  const compiled = compileOrFail(`
rule foreign "Foreign" when isForeign then score 20 reason foreign_use
rule small "Small" when amount < 100 then score 5 reason small
rule big "Big" when amount >= 100_000 then hold reason big_amount`);
  const evaluation = evaluateRuleset(compiled, snapshot, fuelPlenty);
  assert.deepEqual(evaluation.fired, [
    { ruleId: "foreign", reasonCode: "foreign_use", message: "Foreign", score: 20, outcome: null },
    { ruleId: "big", reasonCode: "big_amount", message: "Big", score: 0, outcome: "hold" },
  ]);
  assert.equal(evaluation.isFuelExhausted, false);
  assert.deepEqual(compiled.thresholds, defaultThresholds);
});

test("when no rule fires the result shares one frozen empty array, so the common case allocates none", () => {
  const compiled = compileOrFail(`rule r "m" when amount < 0 then decline reason r`);
  const first = evaluateRuleset(compiled, snapshot, fuelPlenty);
  const second = evaluateRuleset(compiled, { ...snapshot, amount: 5 }, fuelPlenty);
  assert.deepEqual(first.fired, []);
  assert.equal(first.fired, second.fired);
  assert.ok(Object.isFrozen(first.fired));
});

test("division by zero yields 0 and overflow is clamped, so no NaN or Infinity escapes", () => {
  const compiled = compileOrFail(
    `rule zero "m" when amount / count == 0 and ratio(amount, count) == 0 then score 1 reason zero`,
  );
  assert.deepEqual(firedIds(evaluateRuleset(compiled, snapshot, fuelPlenty)), ["zero"]);
  const overflow = compileOrFail(
    `rule r "m" when amount * amount - amount * amount == 0 then score 1 reason r`,
  );
  const huge = { ...snapshot, amount: Number.MAX_VALUE };
  assert.deepEqual(
    firedIds(evaluateRuleset(overflow, huge, fuelPlenty)),
    ["r"],
    "MAX·MAX clamps to MAX; MAX − MAX is 0",
  );
});

test("a snapshot that does not match the schema is a bug the evaluator refuses loudly", () => {
  const compiled = compileOrFail(`rule r "m" when amount > 1 then score 1 reason r`);
  assert.throws(() => evaluateRuleset(compiled, { channel: "pos" }, fuelPlenty), AssertionError);
  assert.throws(() => evaluateRuleset(compiled, { ...snapshot, amount: "1" }, fuelPlenty), AssertionError);
  assert.throws(
    () => evaluateRuleset(compiled, { ...snapshot, amount: Number.NaN }, fuelPlenty),
    AssertionError,
  );
  assert.throws(
    () => evaluateRuleset(compiled, { ...snapshot, amount: Infinity }, fuelPlenty),
    AssertionError,
  );
});

test("fuel counts each evaluated node once: 1 per operator, field and literal, the table's cost per call", () => {
  const compiled = compileOrFail(`
rule a "m" when amount > 5 then score 1 reason a
rule b "m" when channel in ["pos", "atm"] then score 1 reason b
rule c "m" when starts_with(channel, "e") then score 1 reason c`);
  // a: `>`, `amount`, `5` = 3. b: `in`, `channel`, the list = 3. c: the call (2), `channel`, `"e"` = 4.
  assert.equal(evaluateRuleset(compiled, snapshot, fuelPlenty).fuelUsed, 10);
});

test("`and` and `or` short-circuit and try the cheaper operand first, so a decisive cheap one saves fuel", () => {
  const compiled = compileOrFail(
    `rule r "m" when starts_with(channel, "e") and not isForeign then score 1 reason r`,
  );
  // The chain (1), then `not isForeign` (2) is false: the call's region (4) is never charged.
  assert.deepEqual(evaluateRuleset(compiled, snapshot, fuelPlenty), {
    fired: [],
    fuelUsed: 3,
    isFuelExhausted: false,
  });
  const either = compileOrFail(
    `rule r "m" when starts_with(channel, "e") or isForeign then score 1 reason r`,
  );
  assert.deepEqual(firedIds(evaluateRuleset(either, snapshot, fuelPlenty)), ["r"]);
  assert.equal(evaluateRuleset(either, snapshot, fuelPlenty).fuelUsed, 2);
});

test("when the fuel runs out, evaluation stops and returns the rules that fired before", () => {
  const compiled = compileOrFail(`
rule a "m" when isForeign then score 1 reason a
rule b "m" when amount > 5 then score 1 reason b
rule c "m" when isForeign then score 1 reason c`);
  assert.deepEqual(evaluateRuleset(compiled, snapshot, { fuelMax: 3 }), {
    fired: [{ ruleId: "a", reasonCode: "a", message: "m", score: 1, outcome: null }],
    fuelUsed: 1,
    isFuelExhausted: true,
  });
  assert.deepEqual(evaluateRuleset(compiled, snapshot, { fuelMax: 0 }), {
    fired: [],
    fuelUsed: 0,
    isFuelExhausted: true,
  });
  assert.equal(evaluateRuleset(compiled, snapshot, { fuelMax: 5 }).isFuelExhausted, false);
});

/** Every value in an explanation tree, to check none is NaN or infinite. */
function numbersIn(node: ExplainNode): number[] {
  const own = typeof node.value === "number" ? [node.value] : [];
  return [...own, ...(node.children ?? []).flatMap(numbersIn)];
}

function compileGenerated(ruleset: Parameters<typeof printRuleset>[0]): CompiledRuleset {
  return compileOrFail(printRuleset(ruleset), propertySchema);
}

test("property: lazy, reordered compiled evaluation fires exactly the rules a full naive evaluation holds true", () => {
  fc.assert(
    fc.property(checkedRulesetArbitrary, snapshotArbitrary, (ruleset, generatedSnapshot) => {
      const compiled = compileGenerated(ruleset);
      const naive = compiled.rules
        .filter((rule) => explainRule(rule, generatedSnapshot).value === true)
        .map((rule) => rule.id);
      assert.deepEqual(firedIds(evaluateRuleset(compiled, generatedSnapshot, fuelPlenty)), naive);
    }),
    propertyParameters,
  );
});

test("property: evaluation is deterministic and total: it never throws and never yields NaN or Infinity", () => {
  fc.assert(
    fc.property(checkedRulesetArbitrary, snapshotArbitrary, (ruleset, generatedSnapshot) => {
      const compiled = compileGenerated(ruleset);
      const first = evaluateRuleset(compiled, generatedSnapshot, fuelPlenty);
      const second = evaluateRuleset(compileGenerated(ruleset), generatedSnapshot, fuelPlenty);
      assert.deepEqual(second, first);
      for (const rule of compiled.rules) {
        for (const value of numbersIn(explainRule(rule, generatedSnapshot))) {
          assert.ok(Number.isFinite(value), `${value} escaped in rule ${rule.id}`);
        }
      }
    }),
    propertyParameters,
  );
});

test("property: fuel used never exceeds the limit, and an exhausted evaluation returns a prefix of the full one", () => {
  fc.assert(
    fc.property(
      checkedRulesetArbitrary,
      snapshotArbitrary,
      fc.integer({ min: 0, max: 200 }),
      (ruleset, generatedSnapshot, fuelMax) => {
        const compiled = compileGenerated(ruleset);
        const full = evaluateRuleset(compiled, generatedSnapshot, fuelPlenty);
        const limited = evaluateRuleset(compiled, generatedSnapshot, { fuelMax });
        assert.ok(limited.fuelUsed <= fuelMax, `used ${limited.fuelUsed} of ${fuelMax}`);
        assert.deepEqual(limited, evaluateRuleset(compiled, generatedSnapshot, { fuelMax }), "deterministic");
        if (limited.isFuelExhausted) {
          assert.deepEqual(limited.fired, full.fired.slice(0, limited.fired.length));
        } else {
          assert.deepEqual(limited, full);
        }
        assert.equal(evaluateRuleset(compiled, generatedSnapshot, { fuelMax: 0 }).isFuelExhausted, true);
      },
    ),
    propertyParameters,
  );
});
