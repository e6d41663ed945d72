/** The transactional outbox: message documents and the dispatcher that sends them. */
export { type BodySealer, createBodySealer, sealedDraft } from "./body-sealer.ts";
export {
  createOutboxDispatcher,
  type OutboxDispatcher,
  type OutboxSender,
  type SendOutcome,
} from "./dispatcher.ts";
export {
  type MessageDraft,
  newOutboxMessage,
  type OutboxChannel,
  type OutboxMessage,
  openedMessage,
  outboxChannels,
  outboxFromDocument,
  outboxInsertOp,
  outboxToDocument,
  outboxView,
} from "./outbox-message.ts";
