#!/usr/bin/env node
// The `mimamori` command. The server ships TypeScript source; tsx compiles it on load, so
// `npx mimamori` works from a fresh `npm ci` with no build step.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/cli.ts");
process.exitCode = await runCli(process.argv.slice(2));
