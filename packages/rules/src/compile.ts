/**
 * Compiles a checked ruleset to nested closures, the form evaluated on every authorization.
 * Each closure reads `snapshot[name]` directly and allocates nothing. The checker has already
 * proved every node's type, so the compiler picks a closure per node kind and operator once,
 * and evaluation does no type dispatch.
 *
 * Fuel is charged per *region*: a node together with everything that is always evaluated with
 * it. Every operator except `and`/`or` evaluates all its operands, so a region ends only at the
 * operands of a logical chain, which are regions of their own, charged only if reached. One
 * check per region instead of one per node keeps the count exact at a fraction of the price.
 */
import type {
  FieldSchema,
  FiredRule,
  Outcome,
  ParseResult,
  ScalarType,
  Snapshot,
  StructureLimits,
  Thresholds,
} from "./api.ts";
import { AssertionError, assert } from "./assert.ts";
import {
  type ComparisonExpression,
  chainOperands,
  childrenOf,
  type Expression,
  type LogicalExpression,
  type RuleAst,
  type RulesetAst,
} from "./ast.ts";
import { checkRuleset } from "./check.ts";
import {
  add,
  divide,
  functionShapes,
  functionTable,
  multiply,
  nodeCost,
  type Scalar,
  subtract,
} from "./functions.ts";
import { parseRuleset } from "./parser.ts";

/**
 * Fuel left for one evaluation. A predicate that needs more than is left sets `isExhausted` and
 * returns false; its answer is then meaningless and the caller must stop.
 */
export type FuelMeter = { fuelLeft: number; isExhausted: boolean };

export type RulePredicate = (snapshot: Snapshot, meter: FuelMeter) => boolean;

export type CompiledRule = {
  readonly id: string;
  readonly message: string;
  readonly reasonCode: string;
  /** 0 when the rule only forces an outcome. */
  readonly score: number;
  readonly outcome: Outcome | null;
  readonly ast: RuleAst;
  /** Whether the rule's condition holds for the snapshot, charging the meter as it goes. */
  readonly isMatch: RulePredicate;
  /** What the rule contributes when it fires, built once so that evaluation allocates nothing. */
  readonly fired: FiredRule;
};

export type CompiledRuleset = {
  readonly thresholds: Thresholds;
  readonly rules: readonly CompiledRule[];
  readonly ast: RulesetAst;
};

/** The thresholds of a ruleset without a `thresholds` line. */
export const defaultThresholds: Thresholds = Object.freeze({ step_up: 40, hold: 60, decline: 85 });

type Evaluator<T> = (snapshot: Snapshot, meter: FuelMeter) => T;

/** Parses, checks and compiles ruleset text: the usual way to get a ruleset ready to evaluate. */
export function compileRuleset(
  text: string,
  schema: FieldSchema,
  limits: StructureLimits,
): ParseResult<CompiledRuleset> {
  const parsed = parseRuleset(text);
  if (!parsed.ok) {
    return parsed;
  }
  const diagnostics = checkRuleset(parsed.value, schema, limits);
  if (diagnostics.length > 0) {
    return { ok: false, diagnostics };
  }
  return { ok: true, value: compileCheckedRuleset(parsed.value, schema) };
}

function compileCheckedRuleset(ast: RulesetAst, schema: FieldSchema): CompiledRuleset {
  const compiler = new Compiler(schema);
  const rules = ast.rules.map((rule): CompiledRule => {
    const score = rule.score ?? 0;
    return Object.freeze({
      id: rule.id,
      message: rule.message,
      reasonCode: rule.reasonCode,
      score,
      outcome: rule.outcome,
      ast: rule,
      isMatch: compiler.compileRegion(rule.condition),
      fired: Object.freeze({
        ruleId: rule.id,
        reasonCode: rule.reasonCode,
        message: rule.message,
        score,
        outcome: rule.outcome,
      }),
    });
  });
  const thresholds =
    ast.thresholds === null
      ? defaultThresholds
      : Object.freeze({
          step_up: ast.thresholds.step_up,
          hold: ast.thresholds.hold,
          decline: ast.thresholds.decline,
        });
  return Object.freeze({ thresholds, rules: Object.freeze(rules), ast });
}

/** The fuel of a node and everything always evaluated with it (see the file comment). */
function regionCost(expression: Expression): number {
  if (expression.kind === "logical") {
    return chainOperands(expression).length - 1;
  }
  // A list literal is one constant, built into a set at compile time: its items cost nothing more.
  if (expression.kind === "list") {
    return nodeCost(expression);
  }
  let cost = nodeCost(expression);
  for (const child of childrenOf(expression)) {
    cost += regionCost(child);
  }
  return cost;
}

/** The fuel of a node if every part of it is evaluated: the static cost used to order operands. */
function fullCost(expression: Expression): number {
  let cost = nodeCost(expression);
  if (expression.kind !== "list") {
    for (const child of childrenOf(expression)) {
      cost += fullCost(child);
    }
  }
  return cost;
}

/**
 * Takes a region's fuel from the meter, or marks the meter exhausted when less is left. Once
 * exhausted, it never charges again, so nothing after the first shortfall counts as evaluated.
 */
function charge(meter: FuelMeter, cost: number): boolean {
  if (meter.isExhausted || meter.fuelLeft < cost) {
    meter.isExhausted = true;
    return false;
  }
  meter.fuelLeft -= cost;
  return true;
}

function failField(name: string, expected: string, value: unknown): never {
  throw new AssertionError(`snapshot field \`${name}\` must be ${expected}, found ${String(value)}`);
}

function notOfType(expression: Expression, type: string): never {
  throw new AssertionError(`the checker admits only ${type} expressions here, not a ${expression.kind} node`);
}

class Compiler {
  private readonly schema: FieldSchema;

  constructor(schema: FieldSchema) {
    this.schema = schema;
  }

  /** A bool expression that charges its region's fuel before it runs, or stops when there is too little. */
  compileRegion(expression: Expression): Evaluator<boolean> {
    const cost = regionCost(expression);
    const body = this.compileBool(expression);
    return (snapshot, meter) => charge(meter, cost) && body(snapshot, meter);
  }

  /** The type of a node's value; checking has made it depend on the node alone, not its operands. */
  private typeOf(expression: Expression): ScalarType {
    switch (expression.kind) {
      case "number":
      case "string":
      case "bool":
        return expression.kind;
      case "field": {
        const type = this.schema[expression.name];
        assert(type !== undefined, `the checker admits only known fields, not \`${expression.name}\``);
        return type;
      }
      case "negate":
      case "arithmetic":
        return "number";
      case "call": {
        const spec = functionTable.get(expression.name);
        assert(spec !== undefined, `the checker admits only known functions, not \`${expression.name}\``);
        return functionShapes[spec.shape].resultType;
      }
      case "list":
        return notOfType(expression, "scalar");
      case "not":
      case "comparison":
      case "logical":
      case "in":
        return "bool";
    }
  }

  private compileScalar(expression: Expression): Evaluator<Scalar> {
    switch (this.typeOf(expression)) {
      case "number":
        return this.compileNumber(expression);
      case "string":
        return this.compileString(expression);
      case "bool":
        return this.compileBool(expression);
    }
  }

  private compileNumber(expression: Expression): Evaluator<number> {
    switch (expression.kind) {
      case "number": {
        const value = expression.value;
        return () => value;
      }
      case "field": {
        const name = expression.name;
        return (snapshot) => {
          const value = snapshot[name];
          // `value - value === 0` is false for NaN and ±Infinity: snapshot numbers must be finite.
          return typeof value === "number" && value - value === 0
            ? value
            : failField(name, "a finite number", value);
        };
      }
      case "negate": {
        const operand = this.compileNumber(expression.operand);
        return (snapshot, meter) => -operand(snapshot, meter);
      }
      case "arithmetic": {
        const left = this.compileNumber(expression.left);
        const right = this.compileNumber(expression.right);
        switch (expression.operator) {
          case "+":
            return (snapshot, meter) => add(left(snapshot, meter), right(snapshot, meter));
          case "-":
            return (snapshot, meter) => subtract(left(snapshot, meter), right(snapshot, meter));
          case "*":
            return (snapshot, meter) => multiply(left(snapshot, meter), right(snapshot, meter));
          case "/":
            return (snapshot, meter) => divide(left(snapshot, meter), right(snapshot, meter));
        }
        break;
      }
      case "call": {
        const spec = functionTable.get(expression.name);
        const [first, second] = expression.arguments;
        if (spec?.shape === "number_to_number" && first !== undefined) {
          const apply = spec.apply;
          const operand = this.compileNumber(first);
          return (snapshot, meter) => apply(operand(snapshot, meter));
        }
        if (spec?.shape === "numbers_to_number" && first !== undefined && second !== undefined) {
          const apply = spec.apply;
          const left = this.compileNumber(first);
          const right = this.compileNumber(second);
          return (snapshot, meter) => apply(left(snapshot, meter), right(snapshot, meter));
        }
        break;
      }
      default:
        break;
    }
    return notOfType(expression, "number");
  }

  private compileString(expression: Expression): Evaluator<string> {
    if (expression.kind === "string") {
      const value = expression.value;
      return () => value;
    }
    if (expression.kind === "field") {
      const name = expression.name;
      return (snapshot) => {
        const value = snapshot[name];
        return typeof value === "string" ? value : failField(name, "a string", value);
      };
    }
    return notOfType(expression, "string");
  }

  private compileBool(expression: Expression): Evaluator<boolean> {
    switch (expression.kind) {
      case "bool": {
        const value = expression.value;
        return () => value;
      }
      case "field": {
        const name = expression.name;
        return (snapshot) => {
          const value = snapshot[name];
          return typeof value === "boolean" ? value : failField(name, "a bool", value);
        };
      }
      case "not": {
        const operand = this.compileBool(expression.operand);
        return (snapshot, meter) => !operand(snapshot, meter);
      }
      case "comparison":
        return this.compileComparison(expression);
      case "in": {
        assert(expression.list.kind === "list", "the checker admits only list literals after `in`");
        const items: ReadonlySet<Scalar> = new Set(expression.list.items.map((item) => item.value));
        const value = this.compileScalar(expression.value);
        return expression.isNegated
          ? (snapshot, meter) => !items.has(value(snapshot, meter))
          : (snapshot, meter) => items.has(value(snapshot, meter));
      }
      case "logical":
        return this.compileChain(expression);
      case "call":
        return this.compileBoolCall(expression.name, expression.arguments);
      default:
        return notOfType(expression, "bool");
    }
  }

  private compileComparison(expression: ComparisonExpression): Evaluator<boolean> {
    if (expression.operator === "==" || expression.operator === "!=") {
      // Operands have the same scalar type (checked), so strict equality is the language's equality.
      const left = this.compileScalar(expression.left);
      const right = this.compileScalar(expression.right);
      return expression.operator === "=="
        ? (snapshot, meter) => left(snapshot, meter) === right(snapshot, meter)
        : (snapshot, meter) => left(snapshot, meter) !== right(snapshot, meter);
    }
    const left = this.compileNumber(expression.left);
    const right = this.compileNumber(expression.right);
    switch (expression.operator) {
      case "<":
        return (snapshot, meter) => left(snapshot, meter) < right(snapshot, meter);
      case "<=":
        return (snapshot, meter) => left(snapshot, meter) <= right(snapshot, meter);
      case ">":
        return (snapshot, meter) => left(snapshot, meter) > right(snapshot, meter);
      case ">=":
        return (snapshot, meter) => left(snapshot, meter) >= right(snapshot, meter);
    }
  }

  /**
   * A chain of `and` or `or`, short-circuiting, with its operands reordered cheapest first.
   * Reordering is safe because every expression is pure and total: no operand can fail or have
   * an effect that a skipped one would have had. Each operand is a fuel region, charged inline
   * just before it runs.
   */
  private compileChain(chain: LogicalExpression): Evaluator<boolean> {
    const operands = [...chainOperands(chain)]
      .map((operand) => ({ operand, costFull: fullCost(operand) }))
      .sort((first, second) => first.costFull - second.costFull)
      .map(({ operand }) => ({ cost: regionCost(operand), body: this.compileBool(operand) }));
    const [first, second, third] = operands;
    assert(first !== undefined && second !== undefined, "a chain has at least two operands");
    const { cost: cost1, body: body1 } = first;
    const { cost: cost2, body: body2 } = second;
    const isAnd = chain.operator === "and";
    if (operands.length === 2) {
      return isAnd
        ? (snapshot, meter) =>
            charge(meter, cost1) && body1(snapshot, meter) && charge(meter, cost2) && body2(snapshot, meter)
        : (snapshot, meter) =>
            (charge(meter, cost1) && body1(snapshot, meter)) ||
            (charge(meter, cost2) && body2(snapshot, meter));
    }
    if (operands.length === 3 && third !== undefined) {
      const { cost: cost3, body: body3 } = third;
      return isAnd
        ? (snapshot, meter) =>
            charge(meter, cost1) &&
            body1(snapshot, meter) &&
            charge(meter, cost2) &&
            body2(snapshot, meter) &&
            charge(meter, cost3) &&
            body3(snapshot, meter)
        : (snapshot, meter) =>
            (charge(meter, cost1) && body1(snapshot, meter)) ||
            (charge(meter, cost2) && body2(snapshot, meter)) ||
            (charge(meter, cost3) && body3(snapshot, meter));
    }
    // An `and` chain stops at the first false operand, an `or` chain at the first true one.
    const isStop = !isAnd;
    return (snapshot, meter) => {
      for (const { cost, body } of operands) {
        if ((charge(meter, cost) && body(snapshot, meter)) === isStop) {
          return isStop;
        }
      }
      return !isStop;
    };
  }

  private compileBoolCall(name: string, callArguments: readonly Expression[]): Evaluator<boolean> {
    const spec = functionTable.get(name);
    const [first, second, third] = callArguments;
    if (
      spec?.shape === "numbers_to_bool" &&
      first !== undefined &&
      second !== undefined &&
      third !== undefined
    ) {
      const apply = spec.apply;
      const value = this.compileNumber(first);
      const low = this.compileNumber(second);
      const high = this.compileNumber(third);
      return (snapshot, meter) => apply(value(snapshot, meter), low(snapshot, meter), high(snapshot, meter));
    }
    if (spec?.shape === "strings_to_bool" && first !== undefined && second !== undefined) {
      const apply = spec.apply;
      const text = this.compileString(first);
      const prefix = this.compileString(second);
      return (snapshot, meter) => apply(text(snapshot, meter), prefix(snapshot, meter));
    }
    throw new AssertionError(`the checker admits only bool functions here, not \`${name}\``);
  }
}
