/**
 * `mimamori totp <secret>`: the code an authenticator app would show now, so the demo's portal
 * and console sign-ins can be tried on a machine without a phone. A real account's secret lives
 * only in its owner's authenticator; this is for the demo's printed secrets.
 */
import { Secret, TOTP } from "otpauth";

export async function runTotp(args: readonly string[]): Promise<number> {
  const [secret, ...extra] = args;
  if (secret === undefined || extra.length > 0 || !/^[A-Z2-7]+=*$/i.test(secret)) {
    process.stderr.write(
      "error invalid_option: give one base32 secret, e.g. mimamori totp JBSWY3DPEHPK3PXP\n",
    );
    return 2;
  }
  process.stdout.write(`${new TOTP({ secret: Secret.fromBase32(secret.toUpperCase()) }).generate()}\n`);
  return 0;
}
