/**
 * The platform with a model file: a file that cannot serve stops the start with its code, so an
 * issuer never runs believing a model is active when it is not; a file that can is imported into
 * the model registry once, which decides from then on.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InvalidConfigError, startPlatform } from "../src/main.ts";
import { trainTestArtifact } from "../src/model/test-support.ts";

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

test("on the embedded store, a model file is imported once: a restart keeps a promotion made since", async () => {
  const work = mkdtempSync(join(tmpdir(), "mimamori-model-registry-"));
  try {
    const fileModel = trainTestArtifact({ id: "model_00000000000000f6" });
    const modelFile = join(work, "model.json");
    writeFileSync(modelFile, JSON.stringify(fileModel));
    const start = () => startPlatform({ dataDir: join(work, "data"), runWorkers: false, modelFile, env: {} });
    const first = await start();
    assert.equal(first.health().modelId, fileModel.id, "the file's model is active");
    const uploaded = trainTestArtifact({ id: "model_00000000000000f7", seed: 8 });
    assert.ok((await first.models.upload(JSON.parse(JSON.stringify(uploaded)), "op_sue")).ok);
    assert.ok((await first.models.promote(uploaded.id, "op_sue")).ok);
    await first.close();

    const second = await start();
    try {
      assert.equal(second.health().modelId, uploaded.id, "the promotion outlives the restart and the file");
      assert.deepEqual(
        second.models.list().map((model) => [model.id, model.state]),
        [
          [uploaded.id, "active"],
          [fileModel.id, "retired"],
        ],
      );
    } finally {
      await second.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
