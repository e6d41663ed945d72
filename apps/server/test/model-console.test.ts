/**
 * The model registry through the console: an analyst uploads a trained model, which is scored
 * in shadow and recorded with every decision; one supervisor asks to promote it and a second
 * approves, and from then on it is the model that decides.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { limits } from "../src/config/limits.ts";
import { trainTestArtifact } from "../src/model/test-support.ts";
import { authorizationBody, enrollCard, startTestServer, type TestServer } from "./harness.ts";
import { createOperator, operatorSession } from "./identity-support.ts";

type Json = Record<string, unknown>;

describe("the model registry in the console", () => {
  let server: TestServer;
  let analyst: { authorization: string };
  let supervisor: { authorization: string };
  let secondSupervisor: { authorization: string };
  let cardId: string;
  const artifact = trainTestArtifact({ id: "model_00000000000000d4" });

  before(async () => {
    server = await startTestServer();
    analyst = await operatorSession(server, await createOperator(server, "ana@issuer.example", "analyst"));
    supervisor = await operatorSession(
      server,
      await createOperator(server, "sue@issuer.example", "supervisor"),
    );
    secondSupervisor = await operatorSession(
      server,
      await createOperator(server, "sam@issuer.example", "supervisor"),
    );
    cardId = await enrollCard(server, "4111111111111111");
  });
  after(() => server.close());

  const call = async (
    method: "GET" | "POST",
    url: string,
    session: { authorization: string },
    body?: unknown,
  ) => {
    const response = await server.app.inject({
      method,
      url,
      headers: { ...session, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return {
      status: response.statusCode,
      json: JSON.parse(response.body || "{}") as Json,
      text: response.body,
    };
  };
  const modelIdOfHealth = async () => (await server.get("/v1/health")).json.modelId;
  let payments = 0;
  const explanationOfPayment = async (): Promise<Json> => {
    payments += 1;
    const response = await server.post(
      "/v1/authorizations",
      authorizationBody({ id: `model-console-${payments}`, cardId, occurredAt: "2026-11-20T11:30:00+09:00" }),
    );
    assert.equal(response.status, 200, response.text);
    return response.json.explanation as Json;
  };

  test("an uploaded model is scored in shadow with every decision; promoted by two supervisors, it decides", async () => {
    const uploaded = await call("POST", "/v1/console/models", analyst, artifact);
    assert.equal(uploaded.status, 201, uploaded.text);
    assert.equal(uploaded.json.state, "shadow");
    assert.equal(uploaded.json.treeCount, artifact.gbdt.trees.length);
    assert.equal(await modelIdOfHealth(), null, "a shadow model is not the active one");

    const shadowed = await explanationOfPayment();
    assert.equal(shadowed.model, undefined, "no model decides yet");
    const shadowModel = shadowed.shadowModel as { modelId: string; score: number };
    assert.equal(shadowModel.modelId, artifact.id);
    assert.ok(shadowModel.score >= 0 && shadowModel.score <= 100, JSON.stringify(shadowModel));

    const unasked = await call("POST", `/v1/console/models/${artifact.id}/promotion-approvals`, supervisor);
    assert.equal(unasked.status, 409);
    assert.equal((unasked.json.error as Json).code, "promotion_not_requested");
    const asked = await call("POST", `/v1/console/models/${artifact.id}/promotion-requests`, supervisor);
    assert.equal(asked.status, 201, asked.text);
    assert.equal(asked.json.modelId, artifact.id);
    const waiting = await call("GET", "/v1/console/models", analyst);
    assert.deepEqual(
      (waiting.json.promotionRequests as Json[]).map((request) => request.modelId),
      [artifact.id],
    );
    const alone = await call("POST", `/v1/console/models/${artifact.id}/promotion-approvals`, supervisor);
    assert.equal(alone.status, 409);
    assert.equal((alone.json.error as Json).code, "second_person_required");
    assert.equal(await modelIdOfHealth(), null, "one supervisor alone changed nothing");

    const promoted = await call(
      "POST",
      `/v1/console/models/${artifact.id}/promotion-approvals`,
      secondSupervisor,
    );
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.json.state, "active");
    assert.equal(await modelIdOfHealth(), artifact.id);
    const decided = await explanationOfPayment();
    assert.equal((decided.model as { modelId: string }).modelId, artifact.id);
    assert.equal(decided.shadowModel, undefined, "the shadow slot is empty after the promotion");

    const again = await call("POST", `/v1/console/models/${artifact.id}/promotion-requests`, supervisor);
    assert.equal(again.status, 409);
    assert.equal((again.json.error as Json).code, "model_not_shadow");
    const list = await call("GET", "/v1/console/models", analyst);
    assert.deepEqual(list.json.promotionRequests, [], "the approved request is settled");
    const audit = await server.platform.store.listAudit(0, 1_000);
    assert.deepEqual(
      audit
        .filter((entry) => entry.subjectId === artifact.id && entry.action.startsWith("model.promot"))
        .map((entry) => entry.action),
      ["model.promotion_requested", "model.promotion_approved", "model.promoted"],
    );
    assert.deepEqual(
      (list.json.models as Json[]).map((model) => [model.id, model.state]),
      [[artifact.id, "active"]],
    );
    assert.ok(!list.text.includes("threshold"), "the list never carries the trees");
  });

  test("an analyst may upload but neither ask for nor approve a promotion: both answer 403 forbidden", async () => {
    const other = trainTestArtifact({ id: "model_00000000000000e5", seed: 8 });
    assert.equal((await call("POST", "/v1/console/models", analyst, other)).status, 201);
    for (const step of ["promotion-requests", "promotion-approvals"]) {
      const refused = await call("POST", `/v1/console/models/${other.id}/${step}`, analyst);
      assert.equal(refused.status, 403, step);
      assert.equal((refused.json.error as Json).code, "forbidden");
    }
    const retired = await call("POST", `/v1/console/models/${other.id}/retire`, supervisor);
    assert.equal(retired.status, 200, retired.text);
    assert.equal(retired.json.state, "retired");
  });

  test("a request made before the model left the shadow slot and came back approves nothing", async () => {
    const model = trainTestArtifact({ id: "model_00000000000000e7", seed: 10 });
    assert.equal((await call("POST", "/v1/console/models", analyst, model)).status, 201);
    const asked = await call("POST", `/v1/console/models/${model.id}/promotion-requests`, supervisor);
    assert.equal(asked.status, 201, asked.text);
    assert.equal((await call("POST", `/v1/console/models/${model.id}/retire`, supervisor)).status, 200);
    assert.equal((await call("POST", "/v1/console/models", analyst, model)).status, 201, "back in shadow");
    const stale = await call("POST", `/v1/console/models/${model.id}/promotion-approvals`, secondSupervisor);
    assert.equal(stale.status, 409);
    assert.equal((stale.json.error as Json).code, "promotion_not_requested");
    assert.deepEqual((await call("GET", "/v1/console/models", analyst)).json.promotionRequests, []);
    // Asked again on the model as it is now, by either supervisor, it goes through.
    const renewed = await call("POST", `/v1/console/models/${model.id}/promotion-requests`, secondSupervisor);
    assert.equal(renewed.status, 201, renewed.text);
    const approved = await call("POST", `/v1/console/models/${model.id}/promotion-approvals`, supervisor);
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.json.state, "active");
  });

  test("an artifact far larger than an authorization is taken up to the model's own body limit", async () => {
    const base = trainTestArtifact({ id: "model_00000000000000f1", seed: 9 });
    const trees = Array.from({ length: 12 }, () => base.gbdt.trees).flat();
    const large = { ...base, gbdt: { ...base.gbdt, trees } };
    assert.ok(JSON.stringify(large).length > limits.requestBodyBytesMax);
    const accepted = await call("POST", "/v1/console/models", analyst, large);
    assert.equal(accepted.status, 201, accepted.text);
    assert.equal(accepted.json.treeCount, trees.length);
    const flood = { ...large, padding: "x".repeat(limits.modelBodyBytesMax) };
    const refused = await call("POST", "/v1/console/models", analyst, flood);
    assert.equal(refused.status, 413);
    assert.equal((refused.json.error as Json).code, "body_too_large");
  });

  test("a body that is not a model artifact is refused with invalid_model, an unknown id with model_not_found", async () => {
    const invalid = await call("POST", "/v1/console/models", analyst, { format: "mimamori-model" });
    assert.equal(invalid.status, 422);
    assert.equal((invalid.json.error as Json).code, "invalid_model");
    const unknown = await call(
      "POST",
      "/v1/console/models/model_ffffffffffffffff/promotion-requests",
      supervisor,
    );
    assert.equal(unknown.status, 404);
    assert.equal((unknown.json.error as Json).code, "model_not_found");
  });
});
