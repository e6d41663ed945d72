/**
 * Response shapes the console reads that the contracts package does not name yet (the ruleset
 * list and the development outbox). They follow the API description the server was built from;
 * when the contracts gain these types, import them from there instead.
 */
import type { ActivationRequestView, OperatorView, RulesetView } from "@mimamori/contracts";

export type RulesetStatus = RulesetView["status"];

export type RulesetListView = { rulesets: RulesetView[]; activationRequests: ActivationRequestView[] };

export type OutboxMessageView = {
  id: string;
  channel: string;
  /** Masked by the server: the console never sees a full number or address. */
  to: string;
  state: string;
  /** Which message this is; the server names it `purpose` (the API description said `template`). */
  purpose?: string;
  template?: string;
  language?: string;
  subject?: string | null;
  body: string;
  createdAt: string;
};

/** `operator` is null only if the session vanished between sign-in and the read that follows. */
export type SignInView = { token: string; expiresAt: string; operator: OperatorView };

export type CreatedOperatorView = { operator: OperatorView; totp: { secret: string; uri: string } };
