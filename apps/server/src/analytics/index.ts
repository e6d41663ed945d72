/**
 * Analytics for the analyst console: backtest a ruleset over recorded decisions, and daily
 * decision stats. Pure reads over the Store port; the HTTP edge parses the window and zone.
 */
export {
  type BacktestExample,
  type BacktestInput,
  type BacktestResult,
  backtestRuleset,
} from "./backtest.ts";
export { decisionStats, type StatsInput } from "./stats.ts";
