import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExplainNode, FieldSchema, Snapshot } from "./api.ts";
import { type CompiledRule, type CompiledRuleset, compileRuleset } from "./compile.ts";
import { evaluateRuleset } from "./evaluate.ts";
import { explainRule } from "./explain.ts";

const schema = {
  channel: "string",
  isForeign: "bool",
  localHour: "number",
  amount: "number",
  "profile.amountTypical": "number",
} as const satisfies FieldSchema;

function compileOrFail(text: string): CompiledRuleset {
  const compiled = compileRuleset(text, schema, { rulesMax: 10, nodesPerRuleMax: 100, depthMax: 16 });
  assert.ok(compiled.ok, JSON.stringify(compiled));
  return compiled.value;
}

function compileRule(text: string): CompiledRule {
  const [rule] = compileOrFail(text).rules;
  assert.ok(rule !== undefined);
  return rule;
}

/** The tree as `text = value` lines, indented by depth, for readable expectations. */
function outline(node: ExplainNode, indent = ""): string[] {
  const line = `${indent}${node.text} = ${JSON.stringify(node.value)}`;
  return [line, ...(node.children ?? []).flatMap((child) => outline(child, `${indent}  `))];
}

test("the explanation of a fired rule shows every node with the value that made the rule fire", () => {
  const compiled =
    compileOrFail(`rule day "Daytime" when localHour >= 6 and localHour < 23 then score 5 reason day
rule night "Overseas e-commerce at night"
  when channel == "ecommerce" and isForeign and (localHour < 6 or localHour >= 23)
  then score 45 reason overseas_ecommerce_night`);
  const snapshot: Snapshot = {
    channel: "ecommerce",
    isForeign: true,
    localHour: 2,
    amount: 1,
    "profile.amountTypical": 1,
  };
  const fired = evaluateRuleset(compiled, snapshot, { fuelMax: 100 }).fired.map((rule) => rule.ruleId);
  assert.deepEqual(fired, ["night"]);
  const rule = compiled.rules.find((candidate) => candidate.id === "night");
  assert.ok(rule !== undefined);
  assert.deepEqual(outline(explainRule(rule, snapshot)), [
    'channel == "ecommerce" and isForeign and (localHour < 6 or localHour >= 23) = true',
    '  channel == "ecommerce" = true',
    '    channel = "ecommerce"',
    '    "ecommerce" = "ecommerce"',
    "  isForeign = true",
    "  localHour < 6 or localHour >= 23 = true",
    "    localHour < 6 = true",
    "      localHour = 2",
    "      6 = 6",
    "    localHour >= 23 = false",
    "      localHour = 2",
    "      23 = 23",
  ]);
});

test("explain evaluates in full and in written order, unlike the short-circuiting evaluator", () => {
  const rule = compileRule(`rule big "m"
  when ratio(amount, profile.amountTypical) >= 10 or isForeign
  then hold reason big`);
  const snapshot: Snapshot = {
    channel: "pos",
    isForeign: true,
    localHour: 12,
    amount: 0,
    "profile.amountTypical": 0,
  };
  assert.deepEqual(outline(explainRule(rule, snapshot)), [
    "ratio(amount, profile.amountTypical) >= 10 or isForeign = true",
    "  ratio(amount, profile.amountTypical) >= 10 = false",
    "    ratio(amount, profile.amountTypical) = 0",
    "      amount = 0",
    "      profile.amountTypical = 0",
    "    10 = 10",
    "  isForeign = true",
  ]);
});

test("explain shows lists, `not in`, negation and arithmetic with their values", () => {
  const rule = compileRule(`rule r "m"
  when channel not in ["pos", "atm"] and not (-amount + 5 > 0)
  then score 10 reason r`);
  const snapshot: Snapshot = {
    channel: "ecommerce",
    isForeign: false,
    localHour: 0,
    amount: 7,
    "profile.amountTypical": 1,
  };
  assert.deepEqual(outline(explainRule(rule, snapshot)), [
    'channel not in ["pos", "atm"] and not -amount + 5 > 0 = true',
    '  channel not in ["pos", "atm"] = true',
    '    channel = "ecommerce"',
    '    ["pos", "atm"] = ["pos","atm"]',
    "  not -amount + 5 > 0 = true",
    "    -amount + 5 > 0 = false",
    "      -amount + 5 = -2",
    "        -amount = -7",
    "          amount = 7",
    "        5 = 5",
    "      0 = 0",
  ]);
});
