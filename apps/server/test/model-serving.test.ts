/**
 * The platform with a model file: a file that cannot serve stops the start with its code, so an
 * issuer never runs believing a model is active when it is not.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InvalidConfigError, startPlatform } from "../src/main.ts";

test("a model file that is missing, malformed or trained on another vector stops the start with its code", async () => {
  const work = mkdtempSync(join(tmpdir(), "mimamori-model-file-"));
  try {
    const start = (modelFile: string) =>
      startPlatform({ dataDir: null, storeKind: "memory", runWorkers: false, modelFile, env: {} });
    const refusal = async (modelFile: string): Promise<string> => {
      try {
        const platform = await start(modelFile);
        await platform.close();
        return "started";
      } catch (error) {
        assert.ok(error instanceof InvalidConfigError, String(error));
        return error.code;
      }
    };
    assert.equal(await refusal(join(work, "absent.json")), "model_file_unreadable");
    writeFileSync(join(work, "bad.json"), JSON.stringify({ format: "mimamori-model", formatVersion: 2 }));
    assert.equal(await refusal(join(work, "bad.json")), "invalid_model");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
