import type { Clock } from "./clock.ts";
import type { Random } from "./random.ts";

export type IdPrefix =
  | "ch"
  | "card"
  | "auth"
  | "dec"
  | "hold"
  | "rs"
  | "case"
  | "req"
  | "aud"
  | "mer"
  | "msg"
  | "dsp"
  | "acu"
  | "alw"
  | "cs"
  | "wtk"
  | "lnk"
  | "authn"
  | "chal"
  | "os"
  | "op"
  | "cr"
  | "lbl"
  | "actreq"
  | "promreq";

export type Brand<T, B extends string> = T & { readonly __brand: B };
export type CardholderId = Brand<string, "CardholderId">;
export type CardId = Brand<string, "CardId">;
export type AuthorizationId = Brand<string, "AuthorizationId">;
export type RulesetId = Brand<string, "RulesetId">;

/** IDs come from this port: prefixed, time-ordered, and seeded under simulation. */
export interface IdGenerator {
  next(prefix: IdPrefix): string;
}

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

/** `<prefix>_<time base36, 9 chars><10 random base36 chars>`: sortable by creation time, unguessable enough. */
export function createIdGenerator(deps: { clock: Clock; random: Random }): IdGenerator {
  return {
    next(prefix) {
      const time = deps.clock.nowMs().toString(36).padStart(9, "0");
      const bytes = deps.random.bytes(10);
      let tail = "";
      for (const byte of bytes) {
        tail += alphabet[byte % 36];
      }
      return `${prefix}_${time}${tail}`;
    },
  };
}
