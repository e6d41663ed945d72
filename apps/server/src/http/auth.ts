/**
 * Issuer endpoints need the API key as a bearer token. Keys are compared as SHA-256 digests in
 * constant time, so neither timing nor length tells an attacker anything.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export function createApiKeyCheck(apiKey: string): (authorization: string | undefined) => boolean {
  const expected = createHash("sha256").update(apiKey).digest();
  return (authorization) => {
    if (authorization === undefined || !authorization.startsWith("Bearer ")) {
      return false;
    }
    const given = createHash("sha256").update(authorization.slice("Bearer ".length)).digest();
    return timingSafeEqual(given, expected);
  };
}
