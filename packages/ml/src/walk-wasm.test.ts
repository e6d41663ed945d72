import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import fc from "fast-check";
import { flattenTrees, sumLeaves } from "./ensemble.ts";
import { createRandom } from "./random.ts";
import { propertyParameters, randomModel, randomRow } from "./synthetic.ts";
import { walkWasmBase64 } from "./walk-wasm.ts";
import { createLeafSum } from "./wasm-walk.ts";

test("the embedded WebAssembly module is what walk.wat assembles to (run npm run build:wasm if not)", () => {
  const script = new URL("../../../scripts/build-wasm.mjs", import.meta.url).pathname;
  const checked = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
  assert.equal(checked.status, 0, checked.stderr);
  assert.ok(walkWasmBase64.startsWith("AGFzbQ"), "the module starts with WebAssembly's magic number");
});

test("the WebAssembly walk equals the JavaScript walk bit for bit, rows read at any offset", (t) => {
  fc.assert(
    fc.property(
      fc.integer(),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 1, max: 12 }),
      (seed, trees, depth, columns) => {
        const random = createRandom(seed);
        const ensemble = flattenTrees(randomModel(random, { columns, trees, depth }).trees, columns, 1);
        const leafSum = createLeafSum(ensemble);
        const rows = Float64Array.of(...randomRow(random, columns), ...randomRow(random, columns));
        for (const offset of [0, columns]) {
          assert.equal(leafSum(rows, offset), sumLeaves(ensemble, rows, offset));
          assert.equal(leafSum([...rows], offset), sumLeaves(ensemble, rows, offset));
        }
      },
    ),
    propertyParameters(t, 200),
  );
});
