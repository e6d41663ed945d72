/** The transactional outbox: message documents and the dispatcher that sends them. */
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
  outboxChannels,
  outboxFromDocument,
  outboxToDocument,
  outboxView,
} from "./outbox-message.ts";
