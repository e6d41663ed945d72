import { LabelsBody, labelsPerRequestMax } from "@mimamori/contracts";
import { limits } from "../../config/limits.ts";
import type { IssuerLabelInput, IssuerLabelResult, IssuerLabels } from "../../labels/index.ts";
import { assert } from "../../platform/assert.ts";
import { parseOccurredAt } from "../../scoring/index.ts";
import type { HttpApp } from "../app.ts";
import { sendError } from "../errors.ts";

export type LabelRoutesDeps = { labels: IssuerLabels };

assert(
  limits.labelsPerRequestMax === labelsPerRequestMax,
  "the schema and the limits agree on a page of labels",
);

type LabelAnswer =
  | { index: number; status: "recorded" | "already_recorded"; labelId: string }
  | { index: number; status: "rejected"; error: { code: string; message: string } };

/**
 * POST /v1/labels: chargebacks and imported labels, a page at a time. A malformed page is refused
 * whole (400, nothing recorded); a well-formed one is answered label by label, since one unknown
 * payment in a file of hundreds should not hold back the others, and a retry of the page records
 * nothing twice.
 */
export function registerLabelRoutes(app: HttpApp, deps: LabelRoutesDeps): void {
  app.post("/v1/labels", { schema: { body: LabelsBody } }, async (request, reply) => {
    const inputs: IssuerLabelInput[] = [];
    for (const [index, item] of request.body.labels.entries()) {
      const knownAt = item.knownAt === undefined ? null : parseOccurredAt(item.knownAt);
      const payment =
        item.authorizationId !== undefined && item.externalId === undefined
          ? { authorizationId: item.authorizationId }
          : item.externalId !== undefined && item.authorizationId === undefined
            ? { externalId: item.externalId }
            : null;
      if (payment === null) {
        return sendError(
          reply,
          "invalid_request",
          `labels[${index}] names its payment by authorizationId or externalId, exactly one.`,
        );
      }
      if (item.knownAt !== undefined && knownAt === null) {
        return sendError(reply, "invalid_request", `labels[${index}].knownAt is not a real time.`);
      }
      inputs.push({
        payment,
        isFraud: item.label === "fraud",
        source: item.source,
        knownAtMs: knownAt?.ms ?? null,
        reference: item.reference ?? null,
      });
    }
    const recorded = await deps.labels.recordAll(inputs, "api_key");
    const results: LabelAnswer[] = recorded.map((result, index) => answerOf(index, result));
    return reply.code(200).send({ results });
  });
}

function answerOf(index: number, result: IssuerLabelResult): LabelAnswer {
  return result.ok
    ? { index, status: result.status, labelId: result.labelId }
    : { index, status: "rejected", error: { code: result.code, message: result.message } };
}
