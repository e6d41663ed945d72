import assert from "node:assert/strict";
import { test } from "node:test";
import type { Diagnostic } from "./api.ts";
import type { Expression, RulesetAst } from "./ast.ts";
import { expressionDepthCeiling, parseRuleset } from "./parser.ts";
import { printExpression } from "./print.ts";

const exampleText = `# comment to end of line
thresholds step_up 40 hold 60 decline 85

rule card_blocked "Card is blocked or replaced"
  when card.state in ["blocked", "replaced"]
  then decline reason card_blocked

rule overseas_ecommerce_night "Overseas e-commerce at night"
  when channel == "ecommerce" and isForeign and (localHour < 6 or localHour >= 23)
  then score 45 reason overseas_ecommerce_night

rule big_amount "Amount far above the cardholder's usual"
  when profile.authorizationCount >= 5 and profile.amountRatio >= 10
  then score 30 hold reason amount_far_from_profile
`;

function parseOrFail(text: string): RulesetAst {
  const parsed = parseRuleset(text);
  assert.ok(parsed.ok, `expected to parse, got ${JSON.stringify(parsed)}`);
  return parsed.value;
}

function conditionOf(condition: string): Expression {
  const rule = parseOrFail(`rule r "m" when ${condition} then score 1 reason r`).rules[0];
  assert.ok(rule !== undefined);
  return rule.condition;
}

function diagnosticsOf(text: string): readonly Diagnostic[] {
  const parsed = parseRuleset(text);
  assert.ok(!parsed.ok, "expected a syntax error");
  return parsed.diagnostics;
}

/** Asserts exactly one syntax error, where it starts, and a phrase its message must contain. */
function assertOneError(text: string, line: number, column: number, phrase: string): Diagnostic {
  const diagnostics = diagnosticsOf(text);
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  const [diagnostic] = diagnostics;
  assert.ok(diagnostic !== undefined);
  assert.equal(diagnostic.code, "syntax_error");
  assert.deepEqual(
    [diagnostic.span.start.line, diagnostic.span.start.column],
    [line, column],
    diagnostic.message,
  );
  assert.ok(diagnostic.message.includes(phrase), `"${diagnostic.message}" should mention "${phrase}"`);
  return diagnostic;
}

test("the example ruleset parses into thresholds and three rules with their consequences", () => {
  const ruleset = parseOrFail(exampleText);
  assert.deepEqual(
    ruleset.thresholds && [ruleset.thresholds.step_up, ruleset.thresholds.hold, ruleset.thresholds.decline],
    [40, 60, 85],
  );
  assert.deepEqual(
    ruleset.rules.map((rule) => [rule.id, rule.message, rule.score, rule.outcome, rule.reasonCode]),
    [
      ["card_blocked", "Card is blocked or replaced", null, "decline", "card_blocked"],
      ["overseas_ecommerce_night", "Overseas e-commerce at night", 45, null, "overseas_ecommerce_night"],
      ["big_amount", "Amount far above the cardholder's usual", 30, "hold", "amount_far_from_profile"],
    ],
  );
  assert.deepEqual(
    ruleset.rules.map((rule) => rule.condition.kind),
    ["in", "logical", "logical"],
  );
});

test("spans give 1-based line and column and 0-based offset, with an exclusive end", () => {
  const ruleset = parseOrFail(exampleText);
  const rule = ruleset.rules[0];
  assert.ok(rule !== undefined);
  assert.deepEqual(rule.idSpan, {
    start: { line: 4, column: 6, offset: exampleText.indexOf("card_blocked") },
    end: { line: 4, column: 18, offset: exampleText.indexOf("card_blocked") + "card_blocked".length },
  });
  assert.deepEqual(rule.condition.span.start, {
    line: 5,
    column: 8,
    offset: exampleText.indexOf("card.state"),
  });
});

test("a ruleset without a thresholds line parses with null thresholds, so the defaults apply", () => {
  const ruleset = parseOrFail(`rule r "m" when true then approve reason r`);
  assert.equal(ruleset.thresholds, null);
  assert.equal(ruleset.rules.length, 1);
});

test("empty text parses to a ruleset with no rules; refusing it is the checker's job", () => {
  assert.deepEqual(parseOrFail("  # nothing yet\n").rules, []);
});

test("operators bind as documented: or < and < not < comparison < + - < * / < unary minus", () => {
  const cases: readonly [string, string][] = [
    ["a or b and c", "or(a, and(b, c))"],
    ["not a == b", "not(==(a, b))"],
    ["not a and b", "and(not(a), b)"],
    ["1 + 2 * 3 > x", ">(+(1, *(2, 3)), x)"],
    ["-x * 2 > 1", ">(*(neg(x), 2), 1)"],
    ["a - b - c > 0", ">(-(-(a, b), c), 0)"],
    ["x + 1 in [1, 2]", "in(+(x, 1), [1, 2])"],
    ['s not in ["a"] or t', 'or(not in(s, ["a"]), t)'],
    ["between(x, -1, 2.5)", "between(x, -1, 2.5)"],
  ];
  const shape = (expression: Expression): string => {
    switch (expression.kind) {
      case "logical":
      case "arithmetic":
      case "comparison":
        return `${expression.operator}(${shape(expression.left)}, ${shape(expression.right)})`;
      case "not":
        return `not(${shape(expression.operand)})`;
      case "negate":
        return `neg(${shape(expression.operand)})`;
      case "in":
        return `${expression.isNegated ? "not in" : "in"}(${shape(expression.value)}, ${shape(expression.list)})`;
      case "call":
        return `${expression.name}(${expression.arguments.map(shape).join(", ")})`;
      default:
        return printExpression(expression);
    }
  };
  for (const [text, expected] of cases) {
    assert.equal(shape(conditionOf(text)), expected, text);
  }
});

test("literals: underscores in numbers, decimals, negative numbers, escapes in strings", () => {
  const membership = conditionOf(`amount in [10_000, 0.5, -3, 1_000.000_1]`);
  assert.ok(membership.kind === "in" && membership.list.kind === "list");
  assert.deepEqual(
    membership.list.items.map((item) => item.value),
    [10_000, 0.5, -3, 1000.0001],
  );
  const condition = conditionOf(`name == "say \\"hi\\" \\\\ now\\n"`);
  assert.ok(condition.kind === "comparison" && condition.right.kind === "string");
  assert.equal(condition.right.value, 'say "hi" \\ now\n');
  const negative = conditionOf("-5 < x");
  assert.ok(negative.kind === "comparison");
  assert.deepEqual(
    [negative.left.kind, negative.left.kind === "number" && negative.left.value],
    ["number", -5],
  );
});

test("dotted field names are one token, and a keyword after a dot is part of the name", () => {
  const condition = conditionOf("profile.score.hold >= card.count1h");
  assert.ok(condition.kind === "comparison");
  assert.deepEqual(
    [
      condition.left.kind === "field" && condition.left.name,
      condition.right.kind === "field" && condition.right.name,
    ],
    ["profile.score.hold", "card.count1h"],
  );
});

test("an unterminated string is reported at its opening quote, and the next lines still parse", () => {
  const text = `rule a "m" when x then score 1 reason r
rule b "never closed
  when y then score 1 reason r
`;
  const diagnostic = assertOneError(text, 2, 8, "unterminated string");
  assert.deepEqual(diagnostic.span.end, { line: 2, column: 21, offset: text.indexOf("\n  when") });
  assert.equal(diagnostic.span.start.offset, text.indexOf('"never'));
});

test("a missing `then` is reported at the token found in its place", () => {
  assertOneError(
    `rule a "m"\n  when amount > 5\n  score 10 reason r\n`,
    3,
    3,
    "expected `then` after the condition",
  );
});

test("a bad number is reported whole, at its first character", () => {
  assertOneError(`rule a "m" when amount > 1__000 then score 1 reason r`, 1, 26, "bad number `1__000`");
  assertOneError(`rule a "m" when amount > 12abc then score 1 reason r`, 1, 26, "bad number `12abc`");
  assertOneError(`rule a "m"\nwhen amount > 10_ then score 1 reason r`, 2, 15, "bad number `10_`");
  assertOneError(`rule a "m" when amount > 1. then score 1 reason r`, 1, 26, "bad number `1.`");
});

test("stray characters and `=` for `==` are reported where they stand", () => {
  assertOneError(`rule a "m" when amount > 1 @ then score 1 reason r`, 1, 28, "unexpected character `@`");
  assertOneError(`rule a "m" when channel = "pos" then score 1 reason r`, 1, 25, "compare with `==`");
  assertOneError(`rule a "m" when !x then score 1 reason r`, 1, 17, "use `not` or `!=`");
});

test("an unknown escape in a string is reported at the backslash", () => {
  assertOneError(`rule a "bad \\q escape" when x then score 1 reason r`, 1, 13, "unknown escape `\\q`");
});

test("the `then` clause needs a score or an outcome, a whole score from 0 to 100, and a reason", () => {
  assertOneError(`rule a "m" when x then reason r`, 1, 24, "expected `score` or an outcome");
  assertOneError(
    `rule a "m" when x then score 150 reason r`,
    1,
    30,
    "a score is a whole number from 0 to 100",
  );
  assertOneError(
    `rule a "m" when x then score 2.5 reason r`,
    1,
    30,
    "a score is a whole number from 0 to 100",
  );
  assertOneError(`rule a "m" when x then hold`, 1, 28, "expected `reason`");
  assertOneError(`rule a "m" when x then hold reason Bad_Code`, 1, 36, "must be lowercase letters");
});

test("rule ids are lowercase snake_case identifiers and keywords are reserved", () => {
  assertOneError(`rule CardBlocked "m" when x then hold reason r`, 1, 6, "must be lowercase letters");
  assertOneError(`rule hold "m" when x then hold reason r`, 1, 6, "keywords are reserved");
  assertOneError(`rule a when x then hold reason r`, 1, 8, "expected the rule's message");
});

test("comparisons do not chain, lists are non-empty literals, and parentheses must close", () => {
  assertOneError(`rule a "m" when 1 < x < 3 then hold reason r`, 1, 23, "comparisons do not chain");
  assertOneError(`rule a "m" when x in [] then hold reason r`, 1, 23, "a list needs at least one item");
  assertOneError(
    `rule a "m" when x in [y] then hold reason r`,
    1,
    23,
    "a list holds number or string literals",
  );
  assertOneError(`rule a "m" when (x and y then hold reason r`, 1, 26, "expected `)`");
  assertOneError(`rule a "m" when min(x y) > 1 then hold reason r`, 1, 23, "expected `,` or `)`");
});

test("text that ends early is reported at the end of the text", () => {
  const text = `rule a "m"\n  when`;
  assertOneError(text, 2, 7, "found the end of the text");
});

test("the thresholds line comes once, before the rules, with its three values in order", () => {
  assertOneError(
    `rule a "m" when x then hold reason r\nthresholds step_up 1 hold 2 decline 3`,
    2,
    1,
    "at most one `thresholds` line",
  );
  assertOneError(`thresholds hold 60 step_up 40 decline 85`, 1, 12, "expected `step_up`");
  const thresholds = parseOrFail(
    `thresholds step_up -1 hold 2 decline 3.5\nrule a "m" when x then hold reason r`,
  );
  assert.deepEqual(
    thresholds.thresholds && [thresholds.thresholds.step_up, thresholds.thresholds.decline],
    [-1, 3.5],
  );
});

test("after a syntax error the parser resumes at the next rule, so every broken rule is reported", () => {
  const text = `rule a "m" when x > then hold reason r
rule b "m" when x then hold reason r
junk
rule c "m" when y then reason r
rule d "m" when z then score 5 reason r
`;
  const diagnostics = diagnosticsOf(text);
  assert.deepEqual(
    diagnostics.map((diagnostic) => diagnostic.span.start.line),
    [1, 3, 4],
  );
  assert.ok(diagnostics.every((diagnostic) => diagnostic.code === "syntax_error"));
});

test("nesting beyond the parser's ceiling is a syntax error, not a stack overflow", () => {
  const depth = expressionDepthCeiling + 1;
  const parenthesized = `rule a "m" when ${"(".repeat(depth)}x${")".repeat(depth)} then hold reason r`;
  assert.ok(diagnosticsOf(parenthesized)[0]?.message.includes("nests deeper than"));
  const negated = `rule a "m" when ${"not ".repeat(100_000)}x then hold reason r`;
  assert.ok(diagnosticsOf(negated)[0]?.message.includes("nests deeper than"));
  const chain = `rule a "m" when x${" + 1".repeat(100_000)} > 0 then hold reason r`;
  assert.ok(diagnosticsOf(chain)[0]?.message.includes("nests deeper than"));
  const nestedAtCeiling = `rule a "m" when ${"(".repeat(expressionDepthCeiling - 1)}x${")".repeat(expressionDepthCeiling - 1)} then hold reason r`;
  assert.ok(parseRuleset(nestedAtCeiling).ok);
});
