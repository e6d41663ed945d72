/**
 * The portal's calls to the API and the shapes of their answers. Shapes the contracts package
 * does not (yet) export are written here with only the fields the portal reads.
 */
import type {
  ContactCheckView,
  GuidanceView,
  PortalMeView,
  PortalSessionView,
  PortalTransactionView,
  ReissueView,
  SignInBody,
  Situation,
} from "@mimamori/contracts";
import type { Static } from "typebox";
import { createApi } from "../shared/api.ts";
import type { Lang } from "../shared/i18n.ts";

/** Fired when the server says the session is over (401), so the app shows the sign-in page. */
export const signedOutEvent = "mimamori:portal-signed-out";

export const portalApi = createApi("mimamori.portal.token", () => {
  window.dispatchEvent(new Event(signedOutEvent));
});

export type Money = { minor: number; currency: string };

export type HeldAuthorizationView = {
  authorizationId: string;
  merchant: { id: string; name: string };
  amount: Money;
  occurredAt: string;
  channel: string;
  outcome: string;
};

export type HoldView = {
  id: string;
  cardId: string;
  state: string;
  reference: string;
  openedAt: string;
  expiresAt: string;
  authorizations: HeldAuthorizationView[];
  caseId: string | null;
  replacementCardId: string | null;
};

export type Answer = "mine" | "not_mine";

export type StepUpChallengeView = {
  challengeId: string;
  cardId: string;
  channel: string;
  state: string;
  createdAt: string;
  reportedUnrequestedAt: string | null;
  reportCaseId: string | null;
  payment: { merchant: { name: string; country: string }; amount: Money } | null;
};

export type UnrequestedReportView = {
  challengeId: string;
  caseId: string | null;
  cardState: string;
  alreadyReported: boolean;
  nextSteps: string[];
};

export type ContactCheckResultView = Static<typeof ContactCheckView>;
export type GuidanceResultView = Static<typeof GuidanceView>;

export type ContactCheckRequest = {
  input: string;
  from?: string;
  language: Lang;
  channel?: "phone" | "sms" | "email" | "push";
  receivedAt?: string;
};

const segment = encodeURIComponent;

export const portal = {
  signIn: (body: SignInBody) => portalApi.post<PortalSessionView>("/v1/portal/sign-in", body),
  signOut: () => portalApi.post<undefined>("/v1/cardholder/sign-out"),
  me: () => portalApi.get<PortalMeView>("/v1/cardholder/me"),
  confirmations: () => portalApi.get<{ confirmations: HoldView[] }>("/v1/cardholder/confirmations"),
  answer: (holdId: string, answer: Answer) =>
    portalApi.post<{ hold: HoldView }>(`/v1/cardholder/confirmations/${segment(holdId)}/answer`, { answer }),
  transactions: () => portalApi.get<{ transactions: PortalTransactionView[] }>("/v1/cardholder/transactions"),
  setLocked: (cardId: string, isLocked: boolean) =>
    portalApi.post<{ state: string }>(
      `/v1/cardholder/cards/${segment(cardId)}/${isLocked ? "lock" : "unlock"}`,
    ),
  reportLost: (cardId: string, kind: "lost" | "stolen") =>
    portalApi.post<{ replacementCardId: string; caseId: string }>(
      `/v1/cardholder/cards/${segment(cardId)}/report-lost`,
      { kind },
    ),
  reissues: () => portalApi.get<{ reissues: ReissueView[] }>("/v1/cardholder/reissues"),
  challenges: () => portalApi.get<{ challenges: StepUpChallengeView[] }>("/v1/cardholder/step-up/challenges"),
  reportUnrequested: (challengeId: string) =>
    portalApi.post<UnrequestedReportView>(
      `/v1/cardholder/step-up/challenges/${segment(challengeId)}/report-unrequested`,
    ),
  checkContact: (request: ContactCheckRequest) =>
    portalApi.post<ContactCheckResultView>("/v1/cardholder/contact-checks", request),
  guidance: (situation: Situation, lang: Lang) =>
    portalApi.get<GuidanceResultView>(`/v1/guidance?situation=${segment(situation)}&lang=${lang}`),
};
