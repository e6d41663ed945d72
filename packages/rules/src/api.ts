/**
 * The public shape of the rule language. The server codes against these types; the parser,
 * checker, compiler and evaluator implement them. Pure: no I/O, no clock, no randomness.
 */

/** The scalar types a feature or expression can have. */
export type ScalarType = "number" | "string" | "bool";
export type ValueType = ScalarType | "list<string>" | "list<number>";

/** Feature name (dotted, e.g. `card.count1h`) → its type. Given by the host application. */
export type FieldSchema = Readonly<Record<string, ScalarType>>;

/** The values a snapshot holds, keyed by feature name. */
export type Snapshot = Readonly<Record<string, number | string | boolean>>;

/** Outcomes in priority order: a later one wins when several rules force an outcome. */
export const outcomes = ["approve", "step_up", "hold", "decline"] as const;
export type Outcome = (typeof outcomes)[number];

/** A position in the ruleset text: 1-based line and column, 0-based offset. */
export type Position = { readonly line: number; readonly column: number; readonly offset: number };
export type Span = { readonly start: Position; readonly end: Position };

/** A parse or type error, with where it is and a stable code. */
export type Diagnostic = {
  readonly code:
    | "syntax_error"
    | "unknown_field"
    | "unknown_function"
    | "type_mismatch"
    | "wrong_argument_count"
    | "duplicate_rule_id"
    | "invalid_thresholds"
    | "too_many_rules"
    | "rule_too_large"
    | "rule_too_deep"
    | "empty_ruleset";
  readonly message: string;
  readonly span: Span;
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; diagnostics: readonly Diagnostic[] };

/**
 * Scores at or above each threshold map to that outcome (0–100, step_up ≤ hold ≤ decline).
 * A null `decline` means no score alone declines: only a rule that forces `decline` does, so
 * risky use is held and the cardholder asked rather than refused outright.
 */
export type Thresholds = { readonly step_up: number; readonly hold: number; readonly decline: number | null };

/** The result of a rule that fired: what it contributes to the decision. */
export type FiredRule = {
  readonly ruleId: string;
  readonly reasonCode: string;
  readonly message: string;
  readonly score: number;
  readonly outcome: Outcome | null;
};

/** Why a rule fired: each node of its condition with the value it had. */
export type ExplainNode = {
  /** The node printed in the text form, e.g. `card.count1h >= 3`. */
  readonly text: string;
  readonly value: number | string | boolean | readonly (string | number)[];
  readonly children?: readonly ExplainNode[];
};

export type EvaluationLimits = { readonly fuelMax: number };

export type Evaluation = {
  /** Rules whose condition held, in ruleset order. */
  readonly fired: readonly FiredRule[];
  readonly fuelUsed: number;
  /** True when the fuel ran out: rules after that point were not evaluated. */
  readonly isFuelExhausted: boolean;
};

export type StructureLimits = {
  readonly rulesMax: number;
  readonly nodesPerRuleMax: number;
  readonly depthMax: number;
};
