/**
 * Test support, not part of the package's surface: random well-typed expressions, rulesets and
 * snapshots for the property tests, and the fast-check parameters they share.
 */
import fc from "fast-check";
import { type FieldSchema, type Outcome, outcomes, type Snapshot, type Span } from "./api.ts";
import type {
  ArithmeticOperator,
  ComparisonOperator,
  Expression,
  ListLiteral,
  NumberLiteral,
  RuleAst,
  RulesetAst,
  StringLiteral,
} from "./ast.ts";
import { keywords } from "./lexer.ts";

/**
 * `FC_SEED=<n>` replays a failure: fast-check prints the seed and path of every failing run in
 * its error message, and this passes the seed back in.
 */
function seedFromEnvironment(): { seed: number } | Record<string, never> {
  const text = process.env.FC_SEED;
  if (text === undefined || text === "") {
    return {};
  }
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`FC_SEED must be an integer, found ${text}`);
  }
  return { seed };
}

export const propertyParameters = { ...seedFromEnvironment(), numRuns: 300 };

/** A small schema with two fields of each type, some dotted like the real features. */
export const propertySchema = {
  amount: "number",
  "card.count1h": "number",
  channel: "string",
  "merchant.mcc": "string",
  isForeign: "bool",
  "profile.isKnownDevice": "bool",
} as const satisfies FieldSchema;

const numberFields = ["amount", "card.count1h"] as const;
const stringFields = ["channel", "merchant.mcc"] as const;
const boolFields = ["isForeign", "profile.isKnownDevice"] as const;

/** Spans are irrelevant to the properties; generated trees carry this one everywhere. */
const span: Span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

/**
 * Numbers that find the edges: small integers (so comparisons and `in` often hold), zero (for
 * division), arbitrary finite doubles, the largest double (overflow) and the smallest (printing).
 * Negative zero is left out: the language reads `-0` as 0, so it has no literal of its own.
 */
const numberValue = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0, 0.5, 10_000, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (value === 0 ? 0 : value)),
);

/** Strings that collide often, plus escapes, a newline, and arbitrary text. */
const stringValue = fc.oneof(
  fc.constantFrom("ecommerce", "pos", "", "e", "7995", 'say "hi"', "back\\slash", "two\nlines"),
  fc.string({ maxLength: 6, unit: "binary" }),
);

const numberLiteral = numberValue.map((value): NumberLiteral => ({ kind: "number", value, span }));
const stringLiteral = stringValue.map((value): StringLiteral => ({ kind: "string", value, span }));

function listOf<T extends NumberLiteral | StringLiteral>(item: fc.Arbitrary<T>): fc.Arbitrary<ListLiteral> {
  return fc
    .array(item, { minLength: 1, maxLength: 4 })
    .map((items): ListLiteral => ({ kind: "list", items, span }));
}

function field(names: readonly string[]): fc.Arbitrary<Expression> {
  return fc.constantFrom(...names).map((name): Expression => ({ kind: "field", name, span }));
}

function call(name: string, ...parameters: fc.Arbitrary<Expression>[]): fc.Arbitrary<Expression> {
  return fc.tuple(...parameters).map(
    (callArguments): Expression => ({
      kind: "call",
      name,
      arguments: callArguments,
      span,
    }),
  );
}

/** One depth counter for the whole tree, so nesting stays readable and inside the limits. */
const depth = { depthSize: "medium", maxDepth: 7, depthIdentifier: "expression" } as const;

const expressions = fc.letrec<{ number: Expression; string: Expression; bool: Expression }>((tie) => {
  const number = tie("number");
  const string = tie("string");
  const bool = tie("bool");
  const arithmetic = fc
    .tuple(fc.constantFrom<ArithmeticOperator>("+", "-", "*", "/"), number, number)
    .map(([operator, left, right]): Expression => ({ kind: "arithmetic", operator, left, right, span }));
  const ordering = fc
    .tuple(fc.constantFrom<ComparisonOperator>("<", "<=", ">", ">="), number, number)
    .map(([operator, left, right]): Expression => ({ kind: "comparison", operator, left, right, span }));
  const equality = fc
    .tuple(
      fc.constantFrom<ComparisonOperator>("==", "!="),
      fc.oneof(fc.tuple(number, number), fc.tuple(string, string), fc.tuple(bool, bool)),
    )
    .map(([operator, [left, right]]): Expression => ({ kind: "comparison", operator, left, right, span }));
  const membership = fc
    .tuple(
      fc.oneof(fc.tuple(number, listOf(numberLiteral)), fc.tuple(string, listOf(stringLiteral))),
      fc.boolean(),
    )
    .map(([[value, list], isNegated]): Expression => ({ kind: "in", value, list, isNegated, span }));
  const logical = fc
    .tuple(fc.constantFrom("and" as const, "or" as const), bool, bool)
    .map(([operator, left, right]): Expression => ({ kind: "logical", operator, left, right, span }));
  return {
    number: fc.oneof(
      depth,
      numberLiteral,
      field(numberFields),
      number.map((operand): Expression => ({ kind: "negate", operand, span })),
      arithmetic,
      call("abs", number),
      call("min", number, number),
      call("max", number, number),
      call("ratio", number, number),
    ),
    string: fc.oneof(depth, stringLiteral, field(stringFields)),
    bool: fc.oneof(
      depth,
      fc.boolean().map((value): Expression => ({ kind: "bool", value, span })),
      field(boolFields),
      bool.map((operand): Expression => ({ kind: "not", operand, span })),
      ordering,
      equality,
      membership,
      logical,
      call("between", number, number, number),
      call("starts_with", string, string),
    ),
  };
});

/** A random well-typed rule condition over `propertySchema`. */
export const conditionArbitrary: fc.Arbitrary<Expression> = expressions.bool;

export const snapshotArbitrary: fc.Arbitrary<Snapshot> = fc.record({
  amount: numberValue,
  "card.count1h": numberValue,
  channel: stringValue,
  "merchant.mcc": stringValue,
  isForeign: fc.boolean(),
  "profile.isKnownDevice": fc.boolean(),
});

const keywordSet: ReadonlySet<string> = new Set(keywords);
const codeArbitrary = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((code) => !keywordSet.has(code));

function ruleAst(
  id: string,
  condition: Expression,
  consequence: { score: number | null; outcome: Outcome | null },
  message = `rule ${id}`,
  reasonCode = id,
): RuleAst {
  const score = consequence.score === null && consequence.outcome === null ? 0 : consequence.score;
  return {
    kind: "rule",
    id,
    idSpan: span,
    message,
    condition,
    score,
    outcome: consequence.outcome,
    reasonCode,
    span,
  };
}

const consequenceArbitrary = fc.record({
  score: fc.option(fc.integer({ min: 0, max: 100 })),
  outcome: fc.option(fc.constantFrom(...outcomes)),
});

/** Any syntactically valid ruleset: what the printer must round-trip, well-typed or not. */
export const rulesetArbitrary: fc.Arbitrary<RulesetAst> = fc
  .record({
    thresholds: fc.option(fc.tuple(fc.integer(), fc.integer(), fc.option(fc.integer()))),
    rules: fc.array(
      fc.tuple(
        codeArbitrary,
        conditionArbitrary,
        consequenceArbitrary,
        fc.string({ unit: "binary" }),
        codeArbitrary,
      ),
      { maxLength: 4 },
    ),
  })
  .map(
    ({ thresholds, rules }): RulesetAst => ({
      kind: "ruleset",
      thresholds:
        thresholds === null
          ? null
          : { kind: "thresholds", step_up: thresholds[0], hold: thresholds[1], decline: thresholds[2], span },
      rules: rules.map(([id, condition, consequence, message, reasonCode]) =>
        ruleAst(id, condition, consequence, message, reasonCode),
      ),
      span,
    }),
  );

/** A ruleset of well-typed rules with unique ids, ready to compile against `propertySchema`. */
export const checkedRulesetArbitrary: fc.Arbitrary<RulesetAst> = fc
  .array(fc.tuple(conditionArbitrary, consequenceArbitrary), { minLength: 1, maxLength: 6 })
  .map(
    (rules): RulesetAst => ({
      kind: "ruleset",
      thresholds: null,
      rules: rules.map(([condition, consequence], index) => ruleAst(`rule_${index}`, condition, consequence)),
      span,
    }),
  );

/** The same value with every `span` and `idSpan` removed, to compare trees by structure alone. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutSpans);
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "span" && key !== "idSpan")
        .map(([key, entry]) => [key, withoutSpans(entry)]),
    );
  }
  return value;
}
