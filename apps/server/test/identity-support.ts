/**
 * Signing people in from tests: an operator or a cardholder enrolled through the issuer's API,
 * and the six-digit code their authenticator app would show at a given instant.
 */
import assert from "node:assert/strict";
import { Secret, TOTP } from "otpauth";
import type { TestServer } from "./harness.ts";

/** What an authenticator app shows for this secret at this instant (RFC 6238, SHA-1, 30 s). */
export function totpCodeAt(secret: string, atMs: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: atMs });
}

export const operatorPassword = "correct horse battery staple";

export async function createOperator(
  server: TestServer,
  email: string,
  role: "analyst" | "supervisor" | "admin",
): Promise<{ email: string; secret: string }> {
  const created = await server.post("/v1/operators", {
    email,
    name: email.split("@")[0],
    role,
    password: operatorPassword,
  });
  assert.equal(created.status, 201, created.text);
  return { email, secret: (created.json.totp as { secret: string }).secret };
}

/** Signs in at the clock's instant, then moves the clock on a step so the next code is fresh. */
export async function operatorSession(
  server: TestServer,
  operator: { email: string; secret: string },
): Promise<{ authorization: string }> {
  const response = await server.app.inject({
    method: "POST",
    url: "/v1/console/sign-in",
    payload: {
      email: operator.email,
      password: operatorPassword,
      code: totpCodeAt(operator.secret, server.clock.nowMs()),
    },
  });
  assert.equal(response.statusCode, 200, response.body);
  server.clock.advanceMs(30_000);
  return { authorization: `Bearer ${(JSON.parse(response.body) as { token: string }).token}` };
}
