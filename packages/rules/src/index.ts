/**
 * The rule language: parse, type-check, compile, evaluate, explain and print rulesets. This file
 * is the package's only public surface; everything else is internal.
 */
export * from "./api.ts";
export type {
  ArithmeticExpression,
  ArithmeticOperator,
  BoolLiteral,
  CallExpression,
  ComparisonExpression,
  ComparisonOperator,
  Expression,
  FieldReference,
  InExpression,
  ListLiteral,
  LogicalExpression,
  LogicalOperator,
  NegateExpression,
  NotExpression,
  NumberLiteral,
  RuleAst,
  RulesetAst,
  StringLiteral,
  ThresholdsAst,
} from "./ast.ts";
export { checkRuleset } from "./check.ts";
export type { CompiledRule, CompiledRuleset, FuelMeter, RulePredicate } from "./compile.ts";
export { compileRuleset, defaultThresholds } from "./compile.ts";
export { evaluateRuleset } from "./evaluate.ts";
export { explainRule } from "./explain.ts";
export { expressionDepthCeiling, parseRuleset } from "./parser.ts";
export { printExpression, printRuleset } from "./print.ts";
