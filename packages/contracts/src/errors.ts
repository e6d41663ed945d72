/**
 * Every error code the HTTP API returns, with its status. The server maps codes to statuses only
 * through this table; the web apps switch on the same codes.
 */
export const errorCatalogue = {
  invalid_request: { status: 400, message: "The request does not match the schema." },
  invalid_json: { status: 400, message: "The body is not valid JSON." },
  invalid_pan: { status: 400, message: "The card number is not valid." },
  unknown_currency: { status: 400, message: "The currency is not an ISO 4217 code this issuer accepts." },
  invalid_time_zone: { status: 400, message: "The time zone is not an IANA time zone." },
  invalid_occurred_at: {
    status: 400,
    message: "occurredAt is not a plausible ISO 8601 time with an offset.",
  },
  card_expired: { status: 400, message: "The card's expiry is in the past." },
  unauthorized: { status: 401, message: "A valid API key is required: Authorization: Bearer <key>." },
  not_found: { status: 404, message: "No such resource." },
  card_not_found: { status: 404, message: "No such card." },
  cardholder_not_found: { status: 404, message: "No such cardholder." },
  ruleset_not_found: { status: 404, message: "No such ruleset." },
  hold_not_found: { status: 404, message: "No such hold." },
  authentication_not_found: { status: 404, message: "No such step-up authentication." },
  challenge_not_found: { status: 404, message: "No such step-up challenge." },
  authorization_not_found: { status: 404, message: "No such authorization." },
  // The three link answers say nothing of a hold: only that this link cannot be used.
  confirmation_link_not_found: { status: 404, message: "This link is not valid." },
  confirmation_link_used: { status: 410, message: "This link has already been used." },
  confirmation_link_expired: { status: 410, message: "This link has expired." },
  session_invalid: { status: 401, message: "Sign in again: the session is missing, expired or unknown." },
  sign_in_failed: {
    status: 401,
    message: "The e-mail, password or code is not right.",
  },
  forbidden: { status: 403, message: "Your role does not allow this action." },
  webhook_signature_invalid: {
    status: 401,
    message: "The webhook signature is missing, malformed or does not match the body.",
  },
  webhook_signature_expired: {
    status: 401,
    message: "The webhook signature's time is too far from ours; sign the request again.",
  },
  webhook_replayed: { status: 409, message: "This signed request was already received." },
  cross_site_request: {
    status: 403,
    message: "A request started by another site cannot change anything here.",
  },
  case_not_found: { status: 404, message: "No such case." },
  model_not_found: { status: 404, message: "No such model in the registry." },
  operator_email_taken: { status: 409, message: "An operator with this e-mail already exists." },
  portal_email_taken: { status: 409, message: "This e-mail already signs in to the portal." },
  portal_credential_exists: { status: 409, message: "This cardholder already has a portal sign-in." },
  second_person_required: {
    status: 409,
    message: "This change needs a second person: someone other than the requester must approve.",
  },
  activation_not_requested: { status: 409, message: "No one has asked to activate this ruleset." },
  promotion_not_requested: {
    status: 409,
    message: "No one has asked to promote this model as it is now.",
  },
  sign_in_locked: {
    status: 429,
    message: "Too many failed sign-ins: wait a few minutes and try again.",
  },
  web_not_built: {
    status: 503,
    message: "The web apps are not built: run `npm run build:web` (npm start does it).",
  },
  method_not_allowed: { status: 405, message: "The method is not allowed on this resource." },
  idempotency_conflict: { status: 409, message: "This id was already used with a different request body." },
  card_already_enrolled: { status: 409, message: "This card number is already enrolled." },
  card_limit_reached: { status: 409, message: "The card limit of this deployment is reached." },
  hold_already_resolved: { status: 409, message: "The hold was already resolved; the first answer stands." },
  card_already_blocked: { status: 409, message: "The card is already blocked." },
  card_state_conflict: { status: 409, message: "The card's state does not allow this change." },
  challenge_closed: {
    status: 409,
    message: "The challenge is no longer open; its final transStatus is in the body.",
  },
  wallet_token_already_registered: {
    status: 409,
    message: "A live wallet token already has this token reference id.",
  },
  wallet_token_limit_reached: { status: 409, message: "The card has as many live wallet tokens as it may." },
  model_not_shadow: { status: 409, message: "Only the shadow model can be promoted." },
  model_already_active: {
    status: 409,
    message: "This model is already active; upload a different one to shadow it.",
  },
  model_conflict: {
    status: 409,
    message: "The registry changed while this was asked (another operator or process); reload and retry.",
  },
  ruleset_transition_invalid: {
    status: 409,
    message: "The ruleset cannot move to that status from its current one.",
  },
  body_too_large: { status: 413, message: "The body is larger than this endpoint accepts." },
  unsupported_media_type: { status: 415, message: "Send the body as application/json." },
  ruleset_invalid: { status: 422, message: "The ruleset does not parse or type-check." },
  invalid_model: { status: 422, message: "The body is not a mimamori model artifact this server can read." },
  model_features_mismatch: {
    status: 422,
    message: "The model was trained on another feature vector than this server computes; train it again.",
  },
  rate_limited: { status: 429, message: "Too many requests." },
  resend_budget_spent: { status: 429, message: "No more codes can be sent for this challenge." },
  resend_too_soon: { status: 429, message: "The last code was sent moments ago; wait before asking again." },
  internal_error: { status: 500, message: "An internal error occurred; it has been logged." },
  unavailable: { status: 503, message: "A dependency is unavailable; retry with the same id." },
  not_ready: { status: 503, message: "A dependency of this process does not answer; see checks." },
  draining: { status: 503, message: "This process is stopping; send new requests to another." },
  replacement_failed: { status: 503, message: "No replacement card number could be drawn; retry." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export function statusOf(code: ErrorCode): number {
  return errorCatalogue[code].status;
}
