/**
 * The model registry through the console: an analyst uploads a trained model, which is scored
 * in shadow and recorded with every decision; only a supervisor promotes it, and from then on it
 * is the model that decides.
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
  let cardId: string;
  const artifact = trainTestArtifact({ id: "model_00000000000000d4" });

  before(async () => {
    server = await startTestServer();
    analyst = await operatorSession(server, await createOperator(server, "ana@issuer.example", "analyst"));
    supervisor = await operatorSession(
      server,
      await createOperator(server, "sue@issuer.example", "supervisor"),
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

  test("an uploaded model is scored in shadow with every decision; promoted by a supervisor, it decides", async () => {
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

    const promoted = await call("POST", `/v1/console/models/${artifact.id}/promote`, supervisor);
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.json.state, "active");
    assert.equal(await modelIdOfHealth(), artifact.id);
    const decided = await explanationOfPayment();
    assert.equal((decided.model as { modelId: string }).modelId, artifact.id);
    assert.equal(decided.shadowModel, undefined, "the shadow slot is empty after the promotion");

    const again = await call("POST", `/v1/console/models/${artifact.id}/promote`, supervisor);
    assert.equal(again.status, 409);
    assert.equal((again.json.error as Json).code, "model_not_shadow");
    const list = await call("GET", "/v1/console/models", analyst);
    assert.deepEqual(
      (list.json.models as Json[]).map((model) => [model.id, model.state]),
      [[artifact.id, "active"]],
    );
    assert.ok(!list.text.includes("threshold"), "the list never carries the trees");
  });

  test("an analyst may upload but not promote: promotion answers 403 forbidden", async () => {
    const other = trainTestArtifact({ id: "model_00000000000000e5", seed: 8 });
    assert.equal((await call("POST", "/v1/console/models", analyst, other)).status, 201);
    const refused = await call("POST", `/v1/console/models/${other.id}/promote`, analyst);
    assert.equal(refused.status, 403);
    assert.equal((refused.json.error as Json).code, "forbidden");
    const retired = await call("POST", `/v1/console/models/${other.id}/retire`, supervisor);
    assert.equal(retired.status, 200, retired.text);
    assert.equal(retired.json.state, "retired");
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
    const unknown = await call("POST", "/v1/console/models/model_ffffffffffffffff/promote", supervisor);
    assert.equal(unknown.status, 404);
    assert.equal((unknown.json.error as Json).code, "model_not_found");
  });
});
