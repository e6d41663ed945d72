/**
 * `mimamori simulate-system [--seed N] [--steps N] [--seeds K] [--data DIR]`: the deterministic
 * whole-system simulator (`npm run simulate`). A failure prints the invariant, the seed, the step,
 * the steps before it and the command that replays it; the exit code is then 1.
 */
import { randomInt } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { limits } from "../config/limits.ts";
import { startPlatform } from "../main.ts";
import { openStore } from "../storage/index.ts";
import { runSystemSimulation, type SystemSimulationResult } from "../system-simulation/index.ts";
import { integerArg, parseArgs } from "./args.ts";

export async function runSimulateSystem(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, { values: ["seed", "steps", "seeds", "data"] });
  if (!parsed.ok) {
    process.stderr.write(`error invalid_option: ${parsed.message}\n`);
    return 2;
  }
  const { args } = parsed;
  // A run without --seed draws one and prints it, so any failure it finds can be replayed.
  const seed = integerArg(args, "seed", randomInt(2 ** 31), 0, 2 ** 31 - 1);
  const steps = integerArg(args, "steps", 10_000, 0, limits.simulationStepsMax);
  const seeds = integerArg(args, "seeds", 1, 1, limits.simulationSeedsMax);
  for (const value of [seed, steps, seeds]) {
    if (typeof value === "string") {
      process.stderr.write(`error invalid_option: ${value}\n`);
      return 2;
    }
  }
  const dataDir = args.values.get("data") ?? null;
  const first = Number(seed);
  const last = first + Number(seeds) - 1;
  if (dataDir !== null) {
    for (let each = first; each <= last; each++) {
      const dir = join(dataDir, `seed-${each}`);
      // A store with another run in it would not replay: each seed starts from an empty one.
      if (existsSync(dir) && readdirSync(dir).length > 0) {
        process.stderr.write(`error data_dir_not_empty: ${dir} holds an earlier run; remove it first\n`);
        return 2;
      }
    }
  }
  const startedMs = performance.now();
  let failures = 0;
  for (let each = first; each <= last; each++) {
    const seedStartedMs = performance.now();
    const result = await runSystemSimulation({
      seed: each,
      steps: Number(steps),
      start: (options) => startPlatform(options),
      openStore: () =>
        dataDir === null
          ? openStore({ kind: "memory" })
          : openStore({ kind: "pglite", dataDir: join(dataDir, `seed-${each}`), inWorker: true }),
    });
    const elapsedS = ((performance.now() - seedStartedMs) / 1000).toFixed(1);
    if (result.ok) {
      process.stdout.write(
        `seed ${each}: ok, ${result.steps} steps in ${elapsedS} s, log ${result.digest.slice(0, 16)}\n`,
      );
    } else {
      failures += 1;
      process.stdout.write(describeFailure(result, dataDir));
    }
  }
  const totalS = ((performance.now() - startedMs) / 1000).toFixed(1);
  process.stdout.write(
    `${Number(seeds)} seed(s) from ${first}, ${Number(steps)} steps each: ${failures === 0 ? "all passed" : `${failures} failed`} in ${totalS} s\n`,
  );
  return failures === 0 ? 0 : 1;
}

function describeFailure(
  result: Extract<SystemSimulationResult, { ok: false }>,
  dataDir: string | null,
): string {
  const replay = `npm run simulate -- --seed ${result.seed} --steps ${result.step}${dataDir === null ? "" : ` --data ${dataDir}`}`;
  return [
    `seed ${result.seed}: FAILED ${result.invariant} at step ${result.step}`,
    `  ${result.message}`,
    "  last steps:",
    ...result.lastSteps.map((line) => `    ${line}`),
    `  faults: ${JSON.stringify(result.summary.faults)}`,
    `  replay: ${replay}`,
    "",
  ].join("\n");
}
