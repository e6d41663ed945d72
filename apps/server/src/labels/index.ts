/** The served model's labels from the loop: hold answers and analyst case labels, as they become known. */
export { createLoopLabels, type LoopLabels } from "./loop-labels.ts";
