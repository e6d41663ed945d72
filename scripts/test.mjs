#!/usr/bin/env node
// The one test command (README, CI): type-check, lint, then every *.test.ts under node:test.
// Node 20's --test neither expands globs nor discovers .ts files, so the list is built here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const roots = ["apps", "packages", "scripts"].map((dir) => join(root, dir));

function findTests(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") {
      continue;
    }
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      findTests(path, out);
    } else if (name.endsWith(".test.ts") || name.endsWith(".test.mjs")) {
      out.push(relative(root, path));
    }
  }
  return out;
}

function step(title, command, args) {
  console.log(`\n== ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.log(`\n== ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

const filter = process.argv.slice(2);
const files = roots
  .flatMap((dir) => findTests(dir, []))
  .filter((file) => filter.every((f) => file.includes(f)));
if (filter.length === 0) {
  step("type-check", join(root, "node_modules/.bin/tsc"), ["--noEmit", "-p", "tsconfig.json"]);
  step("type-check (web)", join(root, "node_modules/.bin/tsc"), ["--noEmit", "-p", "apps/web/tsconfig.json"]);
  step("lint", join(root, "node_modules/.bin/biome"), ["check", "."]);
}
// The browser tests load the built portal and console, so they are built from this checkout first.
if (files.some((file) => file.startsWith(join("apps", "web")))) {
  step("web build", "npm", ["run", "build:web", "--silent"]);
}
if (files.length === 0) {
  console.log("no test files found");
  process.exit(1);
}
step(`tests (${files.length} files)`, process.execPath, [
  "--import",
  "tsx",
  "--test",
  "--test-reporter=tap",
  ...files,
]);
