/**
 * The only place that turns error codes into HTTP statuses and bodies. Every error body has the
 * same shape: { error: { code, message, requestId, details? } }.
 */
import { type ErrorCode, errorCatalogue, statusOf } from "@mimamori/contracts";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AssertionError } from "../platform/assert.ts";

export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string = errorCatalogue[code].message,
  details?: readonly unknown[],
  /** Fields beside `error` that a protocol expects in every answer (3DS: the final transStatus). */
  fields: Readonly<Record<string, unknown>> = {},
): FastifyReply {
  const error: Record<string, unknown> = { code, message, requestId: reply.request.id };
  if (details !== undefined) {
    error.details = details;
  }
  return reply
    .code(statusOf(code))
    .type("application/json")
    .send({ ...fields, error });
}

/** A code as a page, for a browser: the status from the same catalogue, the body the caller's HTML. */
export function sendErrorPage(reply: FastifyReply, code: ErrorCode, html: string): FastifyReply {
  return reply.code(statusOf(code)).type("text/html; charset=utf-8").send(html);
}

/** Fastify's own errors (parsing, size, media type, validation) mapped to our codes. */
function codeOfFrameworkError(error: FastifyError): ErrorCode | null {
  if (error.validation !== undefined) {
    return "invalid_request";
  }
  switch (error.statusCode) {
    case 413:
      return "body_too_large";
    case 415:
      return "unsupported_media_type";
    case 405:
      return "method_not_allowed";
    case 429:
      return "rate_limited";
    case 400:
      return error.code?.startsWith("FST_ERR_CTP") === true || error instanceof SyntaxError
        ? "invalid_json"
        : "invalid_request";
    default:
      return null;
  }
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const code = codeOfFrameworkError(error);
  if (code === "invalid_request" && error.validation !== undefined) {
    // The offending values are never echoed: a rejected body may hold a card number.
    const details = error.validation.map((issue) => ({
      path: `${error.validationContext ?? "body"}${issue.instancePath}`,
      problem: issue.message ?? "is invalid",
    }));
    return sendError(reply, code, "The request does not match the schema.", details);
  }
  if (code !== null) {
    return sendError(reply, code);
  }
  const isBug = error instanceof AssertionError;
  request.log.error({ err: error, isBug }, isBug ? "invariant broken" : "request failed");
  if (isBug || error.statusCode === undefined || error.statusCode >= 500) {
    return sendError(reply, isBug ? "internal_error" : "unavailable");
  }
  return sendError(reply, "invalid_request");
}
