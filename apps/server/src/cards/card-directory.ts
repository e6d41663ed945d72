/**
 * The cards and cardholders the engine needs on every authorization, held in memory so scoring
 * never reads SQL. Loaded from the store at start-up; every committed change is applied here.
 */
import { assert } from "../platform/assert.ts";
import type { CardholderId, CardId } from "../platform/ids.ts";
import type { CardContext, CardState } from "../scoring/index.ts";
import type { CardholderRecord, CardRecord, Store } from "../storage/index.ts";

export type CardDirectory = {
  putCardholder(cardholder: CardholderRecord): void;
  getCardholder(id: string): CardholderRecord | undefined;
  /**
   * The one cardholder registered with the phone number an SMS came from (spaces and dashes
   * ignored). Unknown and shared numbers give undefined: answering them would confirm a
   * cardholder to anyone.
   */
  soleCardholderIdByPhone(phone: string): string | undefined;
  /** A cardholder's cards, oldest first. */
  cardsOf(cardholderId: string): CardRecord[];
  putCard(card: CardRecord): void;
  getCard(id: string): CardRecord | undefined;
  /** A card that must exist (it has a hold or a challenge) with its holder; a gap is a bug. */
  cardWithHolder(cardId: string): { card: CardRecord; cardholder: CardholderRecord };
  setCardState(id: string, state: CardState, atMs: number): void;
  cardIdByPanHash(panHash: string): string | undefined;
  /** What scoring needs about a card, or undefined when the card or its holder is unknown. */
  context(cardId: string): CardContext | undefined;
  counts(): { cardholders: number; cards: number };
};

export function createCardDirectory(): CardDirectory {
  const cardholders = new Map<string, CardholderRecord>();
  const cardholderIdsByPhone = new Map<string, string[]>();
  const cards = new Map<string, CardRecord>();
  const cardIdsByPanHash = new Map<string, string>();
  const contexts = new Map<string, CardContext>();

  const buildContext = (card: CardRecord): CardContext | undefined => {
    const holder = cardholders.get(card.cardholderId);
    if (holder === undefined) {
      return undefined;
    }
    return {
      allowWindow: null,
      cardId: card.id as CardId,
      cardholderId: holder.id as CardholderId,
      state: card.state,
      homeCountry: holder.homeCountry,
      timeZone: holder.timeZone,
      createdAtMs: card.createdAtMs,
    };
  };

  return {
    putCardholder(cardholder) {
      cardholders.set(cardholder.id, cardholder);
      const sharing = cardholderIdsByPhone.get(cardholder.phone) ?? [];
      if (!sharing.includes(cardholder.id)) {
        cardholderIdsByPhone.set(cardholder.phone, [...sharing, cardholder.id]);
      }
    },
    soleCardholderIdByPhone(phone) {
      const sharing = cardholderIdsByPhone.get(phone.replace(/[\s-]/g, "")) ?? [];
      return sharing.length === 1 ? sharing[0] : undefined;
    },
    cardsOf: (cardholderId) =>
      [...cards.values()]
        .filter((card) => card.cardholderId === cardholderId)
        .sort((a, b) => a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : 1)),
    getCardholder: (id) => cardholders.get(id),
    putCard(card) {
      cards.set(card.id, card);
      cardIdsByPanHash.set(card.panHash, card.id);
      contexts.delete(card.id);
    },
    getCard: (id) => cards.get(id),
    cardWithHolder(cardId) {
      const card = cards.get(cardId);
      assert(card !== undefined, "the card is in the directory");
      const cardholder = cardholders.get(card.cardholderId);
      assert(cardholder !== undefined, "a card's holder is in the directory");
      return { card, cardholder };
    },
    setCardState(id, state, atMs) {
      const card = cards.get(id);
      if (card !== undefined) {
        cards.set(id, { ...card, state, updatedAtMs: atMs });
        contexts.delete(id);
      }
    },
    cardIdByPanHash: (panHash) => cardIdsByPanHash.get(panHash),
    context(cardId) {
      // Contexts are cached because scoring asks for one per authorization.
      let context = contexts.get(cardId);
      if (context === undefined) {
        const card = cards.get(cardId);
        context = card === undefined ? undefined : buildContext(card);
        if (context !== undefined) {
          contexts.set(cardId, context);
        }
      }
      return context;
    },
    counts: () => ({ cardholders: cardholders.size, cards: cards.size }),
  };
}

/** Fills the directory from the store, page by page. */
export async function loadCardDirectory(
  store: Store,
  directory: CardDirectory,
  pageRows: number,
): Promise<void> {
  let cursor: string | null = null;
  do {
    const page = await store.listCardholders(cursor, pageRows);
    for (const row of page.rows) {
      directory.putCardholder(row);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  do {
    const page = await store.listCards(cursor, pageRows);
    for (const row of page.rows) {
      directory.putCard(row);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
}
