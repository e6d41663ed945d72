import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { conditionArbitrary, propertyParameters, rulesetArbitrary, withoutSpans } from "./arbitraries.ts";
import type { Expression, RulesetAst } from "./ast.ts";
import { parseRuleset } from "./parser.ts";
import { formatNumber, printExpression, printRuleset } from "./print.ts";

function parseOrFail(text: string): RulesetAst {
  const parsed = parseRuleset(text);
  assert.ok(parsed.ok, `expected to parse:\n${text}\n${JSON.stringify(parsed)}`);
  return parsed.value;
}

function conditionOf(text: string): Expression {
  const rule = parseOrFail(`rule r "m" when ${text} then score 1 reason r`).rules[0];
  assert.ok(rule !== undefined);
  return rule.condition;
}

test("printing gives the canonical layout: thresholds, then rules separated by blank lines, comments dropped", () => {
  const text = `# the night desk's rules
thresholds   step_up 40 hold 60 decline 85
rule card_blocked "Card is blocked or replaced" when card.state in ["blocked","replaced"] then decline reason card_blocked
rule big_amount "Amount far above the cardholder's \\"usual\\""
  when profile.authorizationCount >= 5 and profile.amountRatio >= 10_000.5
  then score 30 hold reason amount_far_from_profile
`;
  assert.equal(
    printRuleset(parseOrFail(text)),
    `thresholds step_up 40 hold 60 decline 85

rule card_blocked "Card is blocked or replaced"
  when card.state in ["blocked", "replaced"]
  then decline reason card_blocked

rule big_amount "Amount far above the cardholder's \\"usual\\""
  when profile.authorizationCount >= 5 and profile.amountRatio >= 10000.5
  then score 30 hold reason amount_far_from_profile
`,
  );
});

test("printing keeps only the parentheses that precedence and associativity need", () => {
  const cases: readonly [string, string][] = [
    ["((a + b)) * c > 1", "(a + b) * c > 1"],
    ["a + (b * c) > 1", "a + b * c > 1"],
    ["a - (b - c) > 1", "a - (b - c) > 1"],
    ["(a - b) - c > 1", "a - b - c > 1"],
    ["x or (y and z)", "x or y and z"],
    ["(x or y) and z", "(x or y) and z"],
    ["not (x and y)", "not (x and y)"],
    ["not (a == b)", "not a == b"],
    ["(not x) == y", "(not x) == y"],
    ["-(-a) > 0", "-(-a) > 0"],
    ["-(5) > a", "-(5) > a"],
    ["- 5 > a", "-5 > a"],
    ["a * -5 > a - -5", "a * -5 > a - -5"],
    ["x not in [1, -2]", "x not in [1, -2]"],
  ];
  for (const [written, canonical] of cases) {
    assert.equal(printExpression(conditionOf(written)), canonical, `printing ${written}`);
  }
});

test("numbers print in plain decimal, never in exponent form the language cannot read", () => {
  assert.equal(formatNumber(1e21), "1000000000000000000000");
  assert.equal(formatNumber(1.5e-7), "0.00000015");
  assert.equal(formatNumber(-2.5e22), "-25000000000000000000000");
  assert.equal(formatNumber(123.456), "123.456");
  assert.equal(Number(formatNumber(Number.MIN_VALUE)), Number.MIN_VALUE);
  assert.equal(Number(formatNumber(Number.MAX_VALUE)), Number.MAX_VALUE);
});

test("property: parsing the printed form of any expression gives back the same tree", () => {
  fc.assert(
    fc.property(conditionArbitrary, (condition) => {
      const reparsed = conditionOf(printExpression(condition));
      assert.deepEqual(withoutSpans(reparsed), withoutSpans(condition));
    }),
    propertyParameters,
  );
});

test("property: parsing the printed form of any ruleset gives back the same ruleset", () => {
  fc.assert(
    fc.property(rulesetArbitrary, (ruleset) => {
      const text = printRuleset(ruleset);
      assert.deepEqual(withoutSpans(parseOrFail(text)), withoutSpans(ruleset));
      assert.equal(printRuleset(parseOrFail(text)), text, "printing is a fixed point");
    }),
    propertyParameters,
  );
});
