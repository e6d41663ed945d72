/**
 * Test support, not part of the module's surface: a model artifact trained on synthetic vectors,
 * for the tests of serving, of the registry and of the console, where what is tested is not
 * learning. The model learned one thing: large amounts at a merchant with known fraud, on a card
 * already used in the last hour, are fraud.
 */
import { createDataset, createRandom, type GbdtModel, trainGbdt } from "@mimamori/ml";
import { assert } from "../platform/assert.ts";
import type { ModelArtifact } from "./artifact.ts";
import { modelFeatureCount, modelFeatureNames } from "./model-features.ts";

/** Trained once per seed: a few hundred milliseconds each, and every test file asks several times. */
const treesBySeed = new Map<number, GbdtModel>();

function treesOf(seed: number): GbdtModel {
  const known = treesBySeed.get(seed);
  if (known !== undefined) {
    return known;
  }
  const random = createRandom(seed);
  const amount = modelFeatureNames.indexOf("amount");
  const merchantFraud = modelFeatureNames.indexOf("merchant.knownFraudCount30d");
  const recent = modelFeatureNames.indexOf("card.count1h");
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const row = Array.from({ length: modelFeatureCount }, () => 0);
    row[amount] = random.int(200_000);
    row[merchantFraud] = random.int(4);
    row[recent] = random.int(3);
    rows.push(row);
    const isFraud = (row[amount] ?? 0) > 120_000 && (row[merchantFraud] ?? 0) >= 1 && (row[recent] ?? 0) >= 1;
    labels.push(isFraud ? 1 : 0);
  }
  const dataset = createDataset(modelFeatureNames, rows, labels);
  assert(dataset.ok, "the synthetic rows make a dataset");
  const trained = trainGbdt(dataset.dataset, { treesMax: 60, seed: 1 });
  assert(trained.ok, "the synthetic dataset trains");
  treesBySeed.set(seed, trained.model);
  return trained.model;
}

/** An artifact as `mimamori train` writes it; another seed draws other rows, so other trees. */
export function trainTestArtifact(options: { id?: string; seed?: number } = {}): ModelArtifact {
  const gbdt = treesOf(options.seed ?? 7);
  return {
    format: "mimamori-model",
    formatVersion: 1,
    id: options.id ?? "model_0123456789abcdef",
    trainedAt: new Date(1_780_000_000_000).toISOString(),
    training: {
      from: "2026-01-01",
      to: "2026-02-01",
      labelDelayDays: 7,
      transactions: 2_000,
      frauds: 0,
    },
    validation: { auc: null, averagePrecision: null },
    gbdt,
  };
}
