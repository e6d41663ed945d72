/**
 * A recorded decision taken again: its stored snapshot and the model verdict its explanation
 * recorded, through the same pure decide(). The model is not asked again, since the model active
 * now may not be the one that scored; its verdict is as much an input as the snapshot.
 */
import { assert } from "../platform/assert.ts";
import type { DecisionRecord } from "../storage/index.ts";
import { decide } from "./decide.ts";
import type { Decision, LoadedRuleset } from "./decision.ts";
import type { ModelScore } from "./model-port.ts";
import { decodeSnapshot } from "./snapshot-codec.ts";

/**
 * The decision `ruleset` gives the record's inputs. With the ruleset that decided, it equals the
 * recorded response's outcome, score, reasons and explanation; only a shadow model's score, which
 * is an observation beside the decision and not an input, is not reproduced.
 */
export function replayRecordedDecision(
  record: Pick<DecisionRecord, "snapshot" | "response">,
  ruleset: LoadedRuleset,
): Decision {
  return decide(decodeSnapshot(record.snapshot), ruleset, recordedModelScore(record.response));
}

/** The active model's verdict in a stored response, or null when no model scored. */
function recordedModelScore(response: unknown): ModelScore | null {
  assert(typeof response === "object" && response !== null, "a stored response is an object");
  const explanation = (response as { explanation?: { model?: ModelScore } }).explanation;
  assert(explanation !== undefined, "a stored decision response carries its explanation");
  const model = explanation.model;
  if (model === undefined) {
    return null;
  }
  assert(typeof model.modelId === "string", "a recorded model verdict names its model");
  assert(Array.isArray(model.contributions), "a recorded model verdict keeps its contributions");
  return model;
}
