/**
 * A trained model as `mimamori train` writes it and the server loads it: the boosted trees with
 * the vector they were trained on, the training window and the validation metrics, so an analyst
 * deciding on promotion sees what the model learned from and how well it ranked held-out data.
 */
import { type GbdtModel, parseModel } from "@mimamori/ml";
import { modelFeatureNames } from "./model-features.ts";

export type ModelArtifact = {
  readonly format: "mimamori-model";
  readonly formatVersion: 1;
  /** `model_` and the first hex digits of the trees' SHA-256: the same training, the same id. */
  readonly id: string;
  readonly trainedAt: string;
  readonly training: {
    readonly from: string;
    readonly to: string;
    /**
     * A history file's labels are all known this many days after their payment; null when the
     * labels came from the store, each with the time it really became known.
     */
    readonly labelDelayDays: number | null;
    /** From the store: an approved payment undisputed this many days trained as genuine. */
    readonly genuineAfterDays?: number;
    readonly transactions: number;
    readonly frauds: number;
  };
  /** Metrics on the latest part of the training window, held out from the trees. */
  readonly validation: { readonly auc: number | null; readonly averagePrecision: number | null };
  readonly gbdt: GbdtModel;
};

export type ParseArtifactResult =
  | { readonly ok: true; readonly artifact: ModelArtifact }
  | {
      readonly ok: false;
      readonly code: "invalid_model" | "model_features_mismatch";
      readonly message: string;
    };

const invalid = (message: string): ParseArtifactResult => ({ ok: false, code: "invalid_model", message });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads an artifact from JSON; a model trained on another vector than this server's is refused. */
export function parseModelArtifact(json: unknown): ParseArtifactResult {
  if (!isRecord(json) || json.format !== "mimamori-model" || json.formatVersion !== 1) {
    return invalid("Not a mimamori model artifact (format mimamori-model, version 1).");
  }
  const { id, trainedAt, training, validation } = json;
  if (typeof id !== "string" || !/^model_[0-9a-f]{8,64}$/.test(id) || typeof trainedAt !== "string") {
    return invalid("The artifact's id or trainedAt is missing or malformed.");
  }
  if (
    !isRecord(training) ||
    typeof training.from !== "string" ||
    typeof training.to !== "string" ||
    !(training.labelDelayDays === null || Number.isInteger(training.labelDelayDays)) ||
    !(training.genuineAfterDays === undefined || Number.isInteger(training.genuineAfterDays)) ||
    !Number.isInteger(training.transactions) ||
    !Number.isInteger(training.frauds)
  ) {
    return invalid("The artifact's training window is missing or malformed.");
  }
  const isMetric = (value: unknown) =>
    value === null || (typeof value === "number" && value >= 0 && value <= 1);
  if (!isRecord(validation) || !isMetric(validation.auc) || !isMetric(validation.averagePrecision)) {
    return invalid("The artifact's validation metrics are missing or malformed.");
  }
  const gbdt = parseModel(json.gbdt);
  if (!gbdt.ok) {
    return invalid(`The artifact's trees are invalid: ${gbdt.message}`);
  }
  const names = gbdt.model.featureNames;
  if (names.length !== modelFeatureNames.length || names.some((name, i) => name !== modelFeatureNames[i])) {
    return {
      ok: false,
      code: "model_features_mismatch",
      message: "The model was trained on another feature vector than this server computes; train it again.",
    };
  }
  return { ok: true, artifact: json as ModelArtifact };
}
