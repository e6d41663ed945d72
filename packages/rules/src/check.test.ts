import assert from "node:assert/strict";
import { test } from "node:test";
import type { Diagnostic, FieldSchema, StructureLimits } from "./api.ts";
import { AssertionError } from "./assert.ts";
import type { RulesetAst } from "./ast.ts";
import { checkRuleset, editDistance, suggestName } from "./check.ts";
import { compileRuleset } from "./compile.ts";
import { expressionDepthCeiling, parseRuleset } from "./parser.ts";

const schema = {
  amount: "number",
  localHour: "number",
  "card.count1h": "number",
  "card.state": "string",
  channel: "string",
  isForeign: "bool",
} as const satisfies FieldSchema;

const limits: StructureLimits = { rulesMax: 10, nodesPerRuleMax: 50, depthMax: 8 };

function parseOrFail(text: string): RulesetAst {
  const parsed = parseRuleset(text);
  assert.ok(parsed.ok, `expected to parse, got ${JSON.stringify(parsed)}`);
  return parsed.value;
}

function check(text: string, structureLimits: StructureLimits = limits): readonly Diagnostic[] {
  return checkRuleset(parseOrFail(text), schema, structureLimits);
}

function checkCondition(condition: string): readonly Diagnostic[] {
  return check(`rule r "m"\n  when ${condition}\n  then score 10 reason r`);
}

/** Asserts exactly one diagnostic with this code, starting at this column of the `when` line. */
function assertOne(
  diagnostics: readonly Diagnostic[],
  code: Diagnostic["code"],
  column: number,
  phrase: string,
): void {
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  const [diagnostic] = diagnostics;
  assert.ok(diagnostic !== undefined);
  assert.equal(diagnostic.code, code, diagnostic.message);
  assert.deepEqual(
    [diagnostic.span.start.line, diagnostic.span.start.column],
    [2, column],
    diagnostic.message,
  );
  assert.ok(diagnostic.message.includes(phrase), `"${diagnostic.message}" should mention "${phrase}"`);
}

test("a well-typed ruleset has no diagnostics", () => {
  const diagnostics = check(`thresholds step_up 30 hold 60 decline 90
rule r1 "m" when card.state in ["blocked", "lost"] then decline reason r1
rule r2 "m" when channel == "ecommerce" and isForeign and (localHour < 6 or localHour >= 23) then score 45 reason r2
rule r3 "m" when ratio(amount, card.count1h) > 2.5 and between(localHour, 0, 5) then score 20 hold reason r3
rule r4 "m" when not isForeign == false and starts_with(channel, "e") and abs(-amount) >= max(1, min(2, 3)) then step_up reason r4
rule r5 "m" when amount not in [1, 2] and -amount * 2 / 3 + 1 - 4 < 0 then score 1 reason r5`);
  assert.deepEqual(diagnostics, []);
});

test("an unknown field is reported at the name, suggesting a known one within two edits", () => {
  assertOne(checkCondition("card.cuont1h > 3"), "unknown_field", 8, "did you mean `card.count1h`?");
  assertOne(checkCondition("isforeign"), "unknown_field", 8, "did you mean `isForeign`?");
  const far = checkCondition("merchant.country == channel");
  assertOne(far, "unknown_field", 8, "unknown field `merchant.country`");
  assert.ok(!far[0]?.message.includes("did you mean"));
});

test("a field named like an Object property is unknown unless the schema has it", () => {
  assertOne(checkCondition("constructor == channel"), "unknown_field", 8, "unknown field `constructor`");
});

test("comparing a string with a number is a type mismatch, whichever operator is used", () => {
  assertOne(
    checkCondition(`amount == "100"`),
    "type_mismatch",
    8,
    "the left side is a number and the right side is a string",
  );
  assertOne(
    checkCondition("channel > 5"),
    "type_mismatch",
    8,
    "`>` needs a number here, but `channel` is a string",
  );
});

test("`and`, `or` and `not` need bools, arithmetic needs numbers", () => {
  assertOne(
    checkCondition("amount and isForeign"),
    "type_mismatch",
    8,
    "`and` needs a bool here, but `amount` is a number",
  );
  assertOne(checkCondition("isForeign or 1"), "type_mismatch", 21, "`or` needs a bool");
  assertOne(checkCondition("not channel"), "type_mismatch", 12, "`not` needs a bool");
  assertOne(
    checkCondition(`channel + 1 > 2`),
    "type_mismatch",
    8,
    "`+` needs a number here, but `channel` is a string",
  );
  assertOne(checkCondition(`-isForeign > 2`), "type_mismatch", 9, "`-` needs a number");
});

test("`in` needs a list of the value's type, and a list holds one type", () => {
  assertOne(checkCondition(`amount in ["a", "b"]`), "type_mismatch", 18, "needs a list of numbers");
  assertOne(checkCondition(`channel not in [1]`), "type_mismatch", 23, "needs a list of strings");
  assertOne(checkCondition(`channel in channel`), "type_mismatch", 19, "needs a list on its right");
  assertOne(checkCondition(`isForeign in [1]`), "type_mismatch", 8, "looks up a number or a string");
  assertOne(checkCondition(`amount in [1, "2"]`), "type_mismatch", 22, "a list holds items of one type");
  assertOne(checkCondition(`[1] == [1]`), "type_mismatch", 8, "not lists");
});

test("a call needs a known function, the right number of arguments, and arguments of the right type", () => {
  assertOne(checkCondition("abss(amount) > 1"), "unknown_function", 8, "did you mean `abs`?");
  assertOne(checkCondition("min(amount) > 1"), "wrong_argument_count", 8, "`min` takes 2 arguments, found 1");
  assertOne(checkCondition("between(amount, 1) "), "wrong_argument_count", 8, "takes 3 arguments, found 2");
  assertOne(checkCondition("abs() > 1"), "wrong_argument_count", 8, "`abs` takes 1 argument, found 0");
  assertOne(
    checkCondition("starts_with(channel, 1)"),
    "type_mismatch",
    29,
    "argument 2 of `starts_with` needs a string",
  );
});

test("a rule's condition must be a bool", () => {
  assertOne(
    checkCondition("amount + 1"),
    "type_mismatch",
    8,
    "must be true or false (bool), but it is a number",
  );
});

test("one mistake is reported once, not again by every operator around it", () => {
  assertOne(
    checkCondition(`(amount + "x") * 2 > 1 and isForeign`),
    "type_mismatch",
    18,
    "`+` needs a number",
  );
  assertOne(checkCondition(`unknown.field > 1 and isForeign`), "unknown_field", 8, "unknown field");
});

test("every error in a ruleset is reported, in text order", () => {
  const diagnostics = check(`thresholds step_up 70 hold 60 decline 85
rule a "m" when amount > "x" then score 1 reason a
rule b "m" when chanel == "pos" then score 1 reason b
rule a "m" when min(1) > 0 then hold reason c`);
  assert.deepEqual(
    diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.span.start.line]),
    [
      ["invalid_thresholds", 1],
      ["type_mismatch", 2],
      ["unknown_field", 3],
      ["duplicate_rule_id", 4],
      ["wrong_argument_count", 4],
    ],
  );
});

test("a duplicate rule id is reported at the second use, naming the line of the first", () => {
  const diagnostics = check(
    `rule a "m" when isForeign then hold reason x\n\nrule a "n" when isForeign then hold reason y`,
  );
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]?.code, "duplicate_rule_id");
  assert.deepEqual(diagnostics[0]?.span.start, { line: 3, column: 6, offset: 51 });
  assert.ok(diagnostics[0]?.message.includes("line 1"));
});

test("thresholds are whole numbers with 0 ≤ step_up ≤ hold ≤ decline ≤ 100", () => {
  const rule = `\nrule a "m" when isForeign then hold reason x`;
  for (const thresholds of [
    "step_up 50 hold 40 decline 85",
    "step_up 40 hold 90 decline 85",
    "step_up -1 hold 60 decline 85",
    "step_up 40 hold 60 decline 101",
    "step_up 40.5 hold 60 decline 85",
  ]) {
    const diagnostics = check(`thresholds ${thresholds}${rule}`);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [
        diagnostic.code,
        diagnostic.span.start.line,
        diagnostic.span.start.column,
      ]),
      [["invalid_thresholds", 1, 1]],
      thresholds,
    );
  }
  assert.deepEqual(check(`thresholds step_up 0 hold 0 decline 100${rule}`), []);
  assert.deepEqual(check(`thresholds step_up 50 hold 50 decline 50${rule}`), []);
});

test("a ruleset needs at least one rule", () => {
  const diagnostics = check("thresholds step_up 40 hold 60 decline 85\n");
  assert.deepEqual(
    diagnostics.map((diagnostic) => diagnostic.code),
    ["empty_ruleset"],
  );
});

test("structure limits from the caller bound the rules, the nodes per rule and the depth", () => {
  const rules = (count: number): string =>
    Array.from({ length: count }, (_, index) => `rule r${index} "m" when isForeign then hold reason x`).join(
      "\n",
    );
  const tight: StructureLimits = { rulesMax: 3, nodesPerRuleMax: 5, depthMax: 3 };
  assert.deepEqual(check(rules(3), tight), []);
  const tooMany = check(rules(4), tight);
  assert.deepEqual(
    tooMany.map((diagnostic) => [diagnostic.code, diagnostic.span.start.line]),
    [["too_many_rules", 4]],
  );
  // `a + 1 > 2 and x`: and(>(+(a, 1), 2), x) has 6 nodes and depth 4.
  assert.deepEqual(check(`rule r "m" when amount > 2 and isForeign then hold reason x`, tight), []);
  assert.deepEqual(
    check(`rule r "m" when amount + 1 > 2 and isForeign then hold reason x`, tight).map(
      (diagnostic) => diagnostic.code,
    ),
    ["rule_too_large", "rule_too_deep"],
  );
  assert.deepEqual(
    check(`rule r "m" when not not not isForeign then hold reason x`, tight).map(
      (diagnostic) => diagnostic.code,
    ),
    ["rule_too_deep"],
  );
  assert.deepEqual(
    check(`rule r "m" when amount in [1, 2, 3, 4, 5] then hold reason x`, tight).map(
      (diagnostic) => diagnostic.code,
    ),
    ["rule_too_large"],
  );
});

test("a depth limit beyond what the parser admits is a configuration bug", () => {
  assert.throws(
    () =>
      check(`rule r "m" when isForeign then hold reason x`, {
        ...limits,
        depthMax: expressionDepthCeiling + 1,
      }),
    AssertionError,
  );
});

test("edit distance counts a swap of adjacent letters as one edit", () => {
  assert.equal(editDistance("count", "cuont"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(suggestName("amout", ["amount", "channel"]), "amount");
  assert.equal(suggestName("zzzzzz", ["amount", "channel"]), null);
});

test("a thresholds line without decline is valid and leaves declining to rules that force it", () => {
  const compiled = compileRuleset(
    'thresholds step_up 40 hold 60\nrule r "m"\n  when amount > 1\n  then score 10 reason r\n',
    { amount: "number" },
    { rulesMax: 10, nodesPerRuleMax: 50, depthMax: 10 },
  );
  assert.equal(compiled.ok, true);
  assert.deepEqual(compiled.ok && compiled.value.thresholds, { step_up: 40, hold: 60, decline: null });
});
