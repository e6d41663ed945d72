/**
 * The two ways in: anyone may check a number, address, URL or text (rate-limited at the edge);
 * a signed-in cardholder also gets answers from our records. Inputs are never logged or stored:
 * a pasted message can hold the card number it was phishing for.
 */
import type { Store } from "../storage/index.ts";
import type { ContactCheck, ContactChecker, ContactCheckInput } from "./checker.ts";
import type { ContactChannel, ContactRecords } from "./records.ts";
import type { Language } from "./signal.ts";

export type CardholderContactCheckInput = ContactCheckInput & {
  readonly language?: Language;
  readonly channel?: ContactChannel;
  readonly receivedAtMs?: number;
};

export type ContactCheckService = {
  checkPublic(input: ContactCheckInput, language: Language): ContactCheck;
  checkForCardholder(cardholderId: string, input: CardholderContactCheckInput): Promise<ContactCheck>;
};

export function createContactCheckService(deps: {
  readonly checker: ContactChecker;
  readonly records: ContactRecords;
  readonly store: Store;
}): ContactCheckService {
  const { checker, records, store } = deps;
  return {
    checkPublic(input, language) {
      return checker.check(input, language);
    },
    async checkForCardholder(cardholderId, input) {
      const cardholder = await store.getCardholder(cardholderId);
      const language = input.language ?? cardholder?.language ?? "ja";
      const facts = await records.factsFor(cardholderId, input.receivedAtMs ?? null);
      return checker.check(input, language, { facts, channel: input.channel ?? null });
    },
  };
}
