/**
 * Test support, not part of the module's surface: the fast-check parameters the property tests
 * share, and sample values for every message kind.
 */

import { propertyParameters as sharedPropertyParameters } from "../platform/property-parameters.ts";
import { formatAmount, formatConfirmationList, formatLocalTime } from "./formatting.ts";
import type { Language, MessageKind, TemplateVariables } from "./message-kinds.ts";

export const propertyParameters = sharedPropertyParameters(300);

/** 2026-06-12T05:03:00Z: 14:03 in Tokyo. */
export const purchaseAtMs = Date.UTC(2026, 5, 12, 5, 3);

export const sample = {
  issuerName: "みまもりカード",
  merchant: "さくらストア",
  last4: "1234",
  securityPhrase: "青い自転車",
  reference: "A7K",
} as const;

/** Values a caller would pass for each kind, in the given language. */
export function sampleVariables<K extends MessageKind>(kind: K, language: Language): TemplateVariables<K> {
  const amount = formatAmount(12_800, "JPY", language);
  const localTime = formatLocalTime(purchaseAtMs, "Asia/Tokyo", language);
  const all = {
    ...sample,
    amount,
    localTime,
    confirmationList: formatConfirmationList(
      [
        { reference: "A7K", merchant: sample.merchant, amount, localTime },
        {
          reference: "C3D",
          merchant: "AMAZON MARKETPLACE",
          amount: formatAmount(1_234, "USD", language),
          localTime,
        },
      ],
      language,
    ),
  };
  const byKind: { [K in MessageKind]: TemplateVariables<K> } = {
    confirmation_request: {
      issuerName: all.issuerName,
      merchant: all.merchant,
      amount,
      localTime,
      last4: all.last4,
      securityPhrase: all.securityPhrase,
      reference: all.reference,
    },
    answer_received_mine: { issuerName: all.issuerName, merchant: all.merchant, amount, last4: all.last4 },
    answer_received_not_mine: {
      issuerName: all.issuerName,
      merchant: all.merchant,
      amount,
      last4: all.last4,
    },
    reply_needs_reference: {
      issuerName: all.issuerName,
      confirmationList: all.confirmationList,
      reference: all.reference,
    },
    reply_not_understood: { issuerName: all.issuerName },
    no_open_confirmation: { issuerName: all.issuerName },
    hold_expired_call_notice: {
      issuerName: all.issuerName,
      merchant: all.merchant,
      amount,
      localTime,
      last4: all.last4,
      securityPhrase: all.securityPhrase,
    },
    step_up_code: {
      issuerName: all.issuerName,
      merchant: all.merchant,
      amount,
      last4: all.last4,
      securityPhrase: all.securityPhrase,
      code: "048213",
      officialDomain: "card.example.co.jp",
      validMinutes: "10",
    },
    step_up_unrequested_ack: {
      issuerName: all.issuerName,
      last4: all.last4,
      securityPhrase: all.securityPhrase,
    },
  };
  return byKind[kind];
}
