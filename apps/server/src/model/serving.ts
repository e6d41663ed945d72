/**
 * The model inside decide(): a loaded artifact compiled to flat arrays, the label features read
 * from the ledger the loop feeds, one reused vector. Nothing here allocates per decision except
 * the reasons of a decision worth explaining.
 */
import { compileModel } from "@mimamori/ml";
import { limits } from "../config/limits.ts";
import type { Authorization, FeatureSnapshot, ModelContribution, ServingModel } from "../scoring/index.ts";
import type { ModelArtifact } from "./artifact.ts";
import { createLabelFeatures, type LabelLedger } from "./label-ledger.ts";
import { modelFeatureCount, modelFeatureNames, writeModelFeatures } from "./model-features.ts";

export function createServingModel(
  artifact: ModelArtifact,
  ledger: LabelLedger,
  clock: { nowMs(): number },
): ServingModel {
  const compiled = compileModel(artifact.gbdt);
  const vector = new Float64Array(modelFeatureCount);
  const parts = new Float64Array(modelFeatureCount);
  const labels = createLabelFeatures();
  // The ledger reads forward only: a payment that arrives late reads the labels known now, and
  // one stamped ahead of our clock reads them at now too, or its window would skip today's.
  let readAtMs = Number.NEGATIVE_INFINITY;

  /** The largest positive contributions, largest first: what pushed this payment's score up. */
  const topContributions = (): ModelContribution[] => {
    compiled.contributions(vector, parts);
    const top: ModelContribution[] = [];
    for (let i = 0; i < modelFeatureCount; i++) {
      const contribution = parts[i] ?? 0;
      if (contribution <= 0) {
        continue;
      }
      if (top.length < limits.modelReasonsMax || contribution > (top.at(-1)?.contribution ?? 0)) {
        top.push({ feature: modelFeatureNames[i] ?? "", value: vector[i] ?? 0, contribution });
        top.sort((a, b) => b.contribution - a.contribution);
        top.length = Math.min(top.length, limits.modelReasonsMax);
      }
    }
    return top;
  };

  return {
    id: artifact.id,
    score(snapshot: FeatureSnapshot, authorization: Authorization, isExplained: boolean) {
      readAtMs = Math.max(readAtMs, Math.min(authorization.occurredAtMs, clock.nowMs()));
      ledger.reveal(readAtMs);
      ledger.featuresAt(
        readAtMs,
        authorization.cardId,
        authorization.merchant.id,
        authorization.merchant.terminalId,
        labels,
      );
      writeModelFeatures(snapshot, labels, vector);
      const probability = compiled.score(vector);
      // Contributions cost as much again as the score; only a worrying score is explained.
      const isWorthExplaining = isExplained && probability * 100 >= limits.modelExplainScoreMin;
      return {
        modelId: artifact.id,
        probability,
        contributions: isWorthExplaining ? topContributions() : [],
      };
    },
  };
}
