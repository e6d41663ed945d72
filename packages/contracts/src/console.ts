/**
 * The analyst console's API (`/v1/console/*`, an operator's session token): request bodies as
 * schemas the server validates, responses as the types the web app reads.
 */
import { type Static, Type } from "typebox";
import { CredentialEmail, type Money } from "./portal.ts";

export const operatorRoleValues = ["analyst", "supervisor", "admin"] as const;
export type OperatorRole = (typeof operatorRoleValues)[number];
const OperatorRoleType = Type.Union([
  Type.Literal("analyst"),
  Type.Literal("supervisor"),
  Type.Literal("admin"),
]);

export const CreateOperatorBody = Type.Object(
  {
    email: CredentialEmail,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: OperatorRoleType,
    password: Type.String({ minLength: 12, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type CreateOperatorBody = Static<typeof CreateOperatorBody>;

export type OperatorView = { id: string; email: string; name: string; role: OperatorRole; createdAt: string };

export const contactChannelValues = [
  "phone_inbound",
  "phone_outbound",
  "sms",
  "email",
  "chat",
  "letter",
  "in_person",
] as const;
export type ContactChannel = (typeof contactChannelValues)[number];

/** One line of the contact log (seed 002): who spoke with whom, how, about what, and the outcome. */
export const ContactRecordBody = Type.Object(
  {
    occurredAt: Type.String({ maxLength: 40 }),
    channel: Type.Union([
      Type.Literal("phone_inbound"),
      Type.Literal("phone_outbound"),
      Type.Literal("sms"),
      Type.Literal("email"),
      Type.Literal("chat"),
      Type.Literal("letter"),
      Type.Literal("in_person"),
    ]),
    /** The number or address on the other side, as the operator saw it. */
    counterpart: Type.String({ maxLength: 254 }),
    summary: Type.String({ minLength: 1, maxLength: 2_000 }),
    response: Type.String({ maxLength: 2_000 }),
  },
  { additionalProperties: false },
);
export type ContactRecordBody = Static<typeof ContactRecordBody>;

export type ContactRecordView = {
  id: string;
  caseId: string;
  occurredAt: string;
  recordedAt: string;
  channel: ContactChannel;
  counterpart: string;
  operator: { id: string; name: string };
  summary: string;
  response: string;
  /** The receipt number read to the cardholder (受付番号), issued when the record is saved. */
  receiptNumber: string;
};

export const labelValues = ["fraud", "genuine"] as const;
export type LabelValue = (typeof labelValues)[number];
export const CaseLabelBody = Type.Object(
  {
    label: Type.Union([Type.Literal("fraud"), Type.Literal("genuine")]),
    /** The card network's fraud dispute reason, when the analyst disputes the charges. */
    disputeReason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 2_000 })),
  },
  { additionalProperties: false },
);
export type CaseLabelBody = Static<typeof CaseLabelBody>;

export type LabelView = {
  id: string;
  caseId: string;
  label: LabelValue;
  disputeReason: string | null;
  note: string | null;
  operator: { id: string; name: string };
  at: string;
};

export const CaseQuery = Type.Object(
  {
    /** Matches a case, hold or card id, a hold's reference, a card's last 4 or the holder's name. */
    query: Type.Optional(Type.String({ maxLength: 100 })),
    state: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("closed")])),
  },
  { additionalProperties: false },
);

export type CaseSummaryView = {
  id: string;
  kind: string;
  state: string;
  cardId: string;
  last4: string;
  cardholderName: string;
  openedAt: string;
  /** When the case must have been worked (SLA), from the limits file. */
  slaDueAt: string;
  label: LabelValue | null;
};

export type QueueHoldView = {
  holdId: string;
  caseId: string | null;
  cardId: string;
  last4: string;
  cardholderName: string;
  state: string;
  openedAt: string;
  expiresAt: string;
  slaDueAt: string;
  amount: Money;
  merchantName: string;
};

export type StepUpReportView = {
  challengeId: string;
  cardId: string;
  last4: string;
  cardholderName: string;
  reportedAt: string;
  slaDueAt: string;
  caseId: string | null;
};

export type QueueView = {
  pendingHolds: QueueHoldView[];
  /** Holds nobody answered: each is an outbound call to make. */
  expiredHolds: QueueHoldView[];
  stepUpReports: StepUpReportView[];
  cases: CaseSummaryView[];
};

export type TimelineKind =
  | "authorization"
  | "hold_opened"
  | "hold_resolved"
  | "notification"
  | "case_opened"
  | "card_event"
  | "account_update"
  | "dispute_flag"
  | "contact_record"
  | "label";

export type ExplanationNodeView = { text: string; value: unknown; children: ExplanationNodeView[] };

export type TimelineEntryView = {
  at: string;
  kind: TimelineKind;
  /** One line, in English, for the list; the web app localises by kind and detail. */
  summary: string;
  /** Kind-specific fields: an authorization's decision and explanation, a message's channel… */
  detail: Record<string, unknown>;
};

export type CaseDetailView = {
  case: CaseSummaryView & { holdId: string | null; authorizationIds: string[] };
  cardholder: { id: string; name: string; phoneMasked: string; emailMasked: string; language: "ja" | "en" };
  cards: { id: string; panMasked: string; state: string; replaces: string | null }[];
  holds: { id: string; state: string; expiresAt: string }[];
  timeline: TimelineEntryView[];
  contactLog: ContactRecordView[];
  labels: LabelView[];
};

/** One version of a ruleset; versions move draft → shadow → active → retired. */
export type RulesetView = {
  id: string;
  version: number;
  name: string;
  status: "draft" | "shadow" | "active" | "retired";
  text: string;
  createdAt: string;
  updatedAt: string;
};

export const RulesetTextBody = Type.Object(
  { text: Type.String({ maxLength: 256 * 1024 }) },
  { additionalProperties: false },
);

export type DiagnosticView = {
  code: string;
  message: string;
  span: {
    start: { line: number; column: number; offset: number };
    end: { line: number; column: number; offset: number };
  };
};

export const BacktestBody = Type.Object(
  {
    /** ISO 8601; default: the last 30 days of recorded decisions. */
    from: Type.Optional(Type.String({ maxLength: 40 })),
    to: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type BacktestBody = Static<typeof BacktestBody>;

export type BacktestView = {
  rulesetId: string;
  from: string;
  to: string;
  decisions: number;
  changed: number;
  /** Recorded outcome → outcome under the tested ruleset → count. */
  matrix: Record<string, Record<string, number>>;
  /** Rule id → how many decisions it fired on, under the tested ruleset. */
  ruleHits: Record<string, number>;
  /** Up to limits.backtestExamplesMax decisions whose outcome would change. */
  examples: {
    authorizationId: string;
    occurredAt: string;
    recorded: string;
    would: string;
    rulesFired: string[];
  }[];
};

/** Where a model is in its lifecycle: uploaded as shadow, promoted to active, retired when replaced. */
export const modelStateValues = ["shadow", "active", "retired"] as const;
export type ModelState = (typeof modelStateValues)[number];

/**
 * A model in the registry as the console shows it: what it learned from and how well it ranked
 * held-out data, which is what promotion is decided on. Never the trees.
 */
export type ModelView = {
  id: string;
  state: ModelState;
  trainedAt: string;
  training: {
    from: string;
    to: string;
    labelDelayDays: number | null;
    genuineAfterDays?: number;
    transactions: number;
    frauds: number;
  };
  validation: { auc: number | null; averagePrecision: number | null };
  treeCount: number;
  /** When the registry first stored it, and when its state last changed. */
  createdAt: string;
  updatedAt: string;
};

/**
 * An artifact from `mimamori train`, as uploaded: any JSON object here, since the server's own
 * parser checks it and answers `invalid_model` or `model_features_mismatch` with a reason.
 */
export const ModelArtifactBody = Type.Object({}, { additionalProperties: true });

/** A model's id as `mimamori train` makes it: `model_` and hex digits of its trees' SHA-256. */
export const ModelIdParams = Type.Object(
  { id: Type.String({ pattern: "^model_[0-9a-f]{8,64}$" }) },
  { additionalProperties: false },
);

export type ActivationRequestView = {
  rulesetId: string;
  requestedBy: { id: string; name: string };
  requestedAt: string;
};

/** A supervisor's request to promote the shadow model, waiting for a second supervisor. */
export type ModelPromotionRequestView = {
  modelId: string;
  requestedBy: { id: string; name: string };
  requestedAt: string;
};

export type StatsView = {
  days: {
    date: string;
    approve: number;
    step_up: number;
    hold: number;
    decline: number;
    /** Holds per decision that day, 0–1. */
    holdRate: number;
  }[];
  /** Time from a hold being opened to the cardholder's answer, per day (answered holds only). */
  confirmationTimes: { date: string; answered: number; medianMs: number | null; p90Ms: number | null }[];
  ruleHits: { ruleId: string; total: number; byDay: { date: string; count: number }[] }[];
};
