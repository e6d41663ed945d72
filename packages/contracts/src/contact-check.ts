/**
 * "Is this really us?": what a cardholder (or anyone, on the public route) sends to have a phone
 * number, sender, address, URL or whole message checked, and the answer's shape.
 */
import { Type } from "typebox";

const Language = Type.Union([Type.Literal("ja"), Type.Literal("en")]);

const contactCheckFields = {
  /** What was received: a number, an SMS sender, an e-mail address, a URL or the whole text. */
  input: Type.String({ minLength: 1, maxLength: 10_000 }),
  /** Who sent the message, when known: a number, a sender id or an e-mail address. */
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  language: Type.Optional(Language),
};

export const ContactCheckBody = Type.Object(contactCheckFields, { additionalProperties: false });

export const CardholderContactCheckBody = Type.Object(
  {
    ...contactCheckFields,
    /** How it reached the cardholder, for "did you really contact me then?". */
    channel: Type.Optional(
      Type.Union([Type.Literal("phone"), Type.Literal("sms"), Type.Literal("email"), Type.Literal("push")]),
    ),
    /** When it came, ISO 8601 with an offset. */
    receivedAt: Type.Optional(
      Type.String({
        maxLength: 40,
        pattern:
          "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ContactCheckView = Type.Object({
  verdict: Type.Union([Type.Literal("official"), Type.Literal("suspicious"), Type.Literal("unknown")]),
  inputKind: Type.Union([
    Type.Literal("phone_number"),
    Type.Literal("sms_sender"),
    Type.Literal("email_address"),
    Type.Literal("url"),
    Type.Literal("text"),
  ]),
  reasons: Type.Array(
    Type.Object({
      code: Type.String(),
      severity: Type.Union([
        Type.Literal("official"),
        Type.Literal("suspicious"),
        Type.Literal("caution"),
        Type.Literal("info"),
      ]),
      message: Type.String(),
      excerpt: Type.String(),
    }),
  ),
  advice: Type.Array(Type.String()),
  situation: Type.Union([Type.Literal("entered_card_on_fake_site"), Type.Null()]),
  language: Language,
});
