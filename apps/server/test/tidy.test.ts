/**
 * The module rules of STYLE.md, enforced: modules meet only through their index.ts, domain code
 * takes time and randomness from ports, and the rule language depends on nothing of the app.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

const repo = resolve(import.meta.dirname, "../../..");
const src = join(repo, "apps/server/src");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return tsFiles(path);
    }
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** The folder right under src/ a file belongs to; files directly in src/ are the root. */
function moduleOf(path: string): string {
  const parts = relative(src, path).split("/");
  return parts.length === 1 ? "(root)" : (parts[0] ?? "");
}

/** Shared kernels with no domain knowledge: any module may import their files directly. */
const kernels = new Set(["platform", "config"]);
/** Edges and adapters: allowed to read the real clock and randomness. */
const impureModules = new Set(["platform", "storage", "cli", "observability", "config", "http"]);

const sourceFiles = tsFiles(src).filter((path) => !path.endsWith(".test.ts"));
const imports = sourceFiles.flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((match) => ({
    file,
    target: resolve(dirname(file), match[1] ?? ""),
  })),
);

test("a module reaches another module only through its index.ts", () => {
  const violations = imports.filter(({ file, target }) => {
    const from = moduleOf(file);
    const to = moduleOf(target);
    if (from === to || kernels.has(to) || to === "(root)") {
      return false;
    }
    return relative(join(src, to), target) !== "index.ts";
  });
  assert.deepEqual(
    violations.map(({ file, target }) => `${relative(src, file)} → ${relative(src, target)}`),
    [],
  );
});

test("only the command line imports the composition root, and only it and the root the HTTP edge", () => {
  const violations = imports.filter(({ file, target }) => {
    const to = moduleOf(target);
    const from = moduleOf(file);
    const isRoot = to === "(root)" && target.endsWith("main.ts");
    const isEdge = to === "http" && !["http", "cli", "(root)"].includes(from);
    return (isRoot && from !== "cli") || isEdge;
  });
  assert.deepEqual(
    violations.map(({ file, target }) => `${relative(src, file)} → ${relative(src, target)}`),
    [],
  );
});

test("every domain module has an index.ts", () => {
  // cli/ is the entry point bin/mimamori.mjs starts, not a module others reach.
  const modules = readdirSync(src).filter(
    (name) => statSync(join(src, name)).isDirectory() && !kernels.has(name) && name !== "cli",
  );
  const missing = modules.filter((name) => !readdirSync(join(src, name)).includes("index.ts"));
  assert.deepEqual(missing, []);
});

test("domain code never reads the real clock or randomness", () => {
  const banned = /\bDate\.now\(|\bMath\.random\(|\bnew Date\(\)|\brandomUUID\(|\bperformance\.now\(/;
  const violations = sourceFiles.filter(
    (file) =>
      !impureModules.has(moduleOf(file)) &&
      moduleOf(file) !== "(root)" &&
      banned.test(readFileSync(file, "utf8")),
  );
  assert.deepEqual(
    violations.map((file) => relative(src, file)),
    [],
  );
});

test("the rule language, the contracts and the ML core import nothing from the app", () => {
  for (const pkg of ["packages/rules/src", "packages/contracts/src", "packages/ml/src"]) {
    const offenders = tsFiles(join(repo, pkg)).filter((file) =>
      /from\s+"(\.\.\/){2,}|@mimamori\/server/.test(readFileSync(file, "utf8")),
    );
    assert.deepEqual(offenders, [], pkg);
  }
});

test("the ML core reads no clock or randomness: training replays from its seed", () => {
  const banned = /\bDate\.now\(|\bMath\.random\(|\bnew Date\(\)|\bperformance\.now\(/;
  // synthetic.ts is the tests' data generator: it picks a property seed and prints it.
  const offenders = tsFiles(join(repo, "packages/ml/src")).filter(
    (file) =>
      !file.endsWith(".test.ts") && !file.endsWith("synthetic.ts") && banned.test(readFileSync(file, "utf8")),
  );
  assert.deepEqual(offenders, []);
});
