/**
 * The attribute tables of the language: what each function takes, returns and costs, and the
 * arithmetic every operator shares. The checker, the compiler and explain all read from here, so
 * the three can never disagree on what an expression means.
 *
 * Totality: evaluation of a well-typed rule never throws and never yields NaN or Infinity.
 * Literals are finite (the lexer refuses others) and snapshot numbers must be finite (the
 * evaluator asserts it), so only arithmetic could leave the finite doubles: division by zero
 * yields 0 and any overflow is clamped to ±Number.MAX_VALUE, which keeps comparisons meaningful
 * (a huge amount stays above every threshold). Finite operands never produce NaN otherwise.
 */
import type { ScalarType } from "./api.ts";
import { assert } from "./assert.ts";
import type { ArithmeticOperator, Expression } from "./ast.ts";

export type Scalar = number | string | boolean;

/** Parameter and result types for each shape of function the table holds. */
export const functionShapes = {
  number_to_number: { parameterTypes: ["number"], resultType: "number" },
  numbers_to_number: { parameterTypes: ["number", "number"], resultType: "number" },
  numbers_to_bool: { parameterTypes: ["number", "number", "number"], resultType: "bool" },
  strings_to_bool: { parameterTypes: ["string", "string"], resultType: "bool" },
} as const satisfies Record<string, { parameterTypes: readonly ScalarType[]; resultType: ScalarType }>;

/**
 * One function of the language. `cost` is the fuel a call takes, relative to 1 for a plain
 * operator; the compiler also uses it to try cheap operands of `and`/`or` first.
 */
type FunctionSpec =
  | { readonly shape: "number_to_number"; readonly cost: number; readonly apply: (value: number) => number }
  | {
      readonly shape: "numbers_to_number";
      readonly cost: number;
      readonly apply: (left: number, right: number) => number;
    }
  | {
      readonly shape: "numbers_to_bool";
      readonly cost: number;
      readonly apply: (value: number, low: number, high: number) => boolean;
    }
  | {
      readonly shape: "strings_to_bool";
      readonly cost: number;
      readonly apply: (text: string, prefix: string) => boolean;
    };

/** Clamps an overflowed result back into the finite doubles (see the totality note above). */
function toFinite(value: number): number {
  if (value > Number.MAX_VALUE) {
    return Number.MAX_VALUE;
  }
  if (value < -Number.MAX_VALUE) {
    return -Number.MAX_VALUE;
  }
  return value;
}

export function add(left: number, right: number): number {
  return toFinite(left + right);
}

export function subtract(left: number, right: number): number {
  return toFinite(left - right);
}

export function multiply(left: number, right: number): number {
  return toFinite(left * right);
}

/** Division by zero yields 0: a ratio over an empty history means "nothing unusual". */
export function divide(left: number, right: number): number {
  return right === 0 ? 0 : toFinite(left / right);
}

export const arithmetic: Readonly<Record<ArithmeticOperator, (left: number, right: number) => number>> = {
  "+": add,
  "-": subtract,
  "*": multiply,
  "/": divide,
};

/** A Map, not an object, so a rule calling `constructor(x)` finds no inherited property. */
export const functionTable: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ["abs", { shape: "number_to_number", cost: 1, apply: Math.abs }],
  ["min", { shape: "numbers_to_number", cost: 1, apply: Math.min }],
  ["max", { shape: "numbers_to_number", cost: 1, apply: Math.max }],
  ["ratio", { shape: "numbers_to_number", cost: 2, apply: divide }],
  [
    "between",
    { shape: "numbers_to_bool", cost: 2, apply: (value, low, high) => low <= value && value <= high },
  ],
  ["starts_with", { shape: "strings_to_bool", cost: 2, apply: (text, prefix) => text.startsWith(prefix) }],
]);

/** The fuel one node takes when evaluated: a call costs what the table says, anything else 1. */
export function nodeCost(expression: Expression): number {
  if (expression.kind !== "call") {
    return 1;
  }
  const spec = functionTable.get(expression.name);
  assert(spec !== undefined, `the checker admits only known functions, not \`${expression.name}\``);
  return spec.cost;
}
