/**
 * The model's labels: the loop's (hold answers, analyst case labels) and the issuer's (chargebacks,
 * imported files), each as it becomes known.
 */
export {
  createIssuerLabels,
  type IssuerLabelInput,
  type IssuerLabelResult,
  type IssuerLabelSource,
  type IssuerLabels,
  issuerLabelSources,
} from "./issuer-labels.ts";
export { createLoopLabels, type LoopLabels } from "./loop-labels.ts";
