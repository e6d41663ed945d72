/**
 * Enrolling cardholders and cards, and resolving the card of an authorization. A PAN enters here
 * and leaves only as a keyed hash, a ciphertext and BIN + last 4.
 */
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { Random } from "../platform/random.ts";
import type { CardContext } from "../scoring/index.ts";
import type { CardholderRecord, CardRecord, GroupCommitter, Store } from "../storage/index.ts";
import type { CardDirectory } from "./card-directory.ts";
import { maskPan, type PanVault, parsePan } from "./pan.ts";
import { newSecurityPhrase } from "./security-phrase.ts";

/** Without a phrase of the cardholder's choosing, one is drawn for them. */
export type NewCardholder = Omit<
  CardholderRecord,
  "id" | "createdAtMs" | "securityPhrase" | "stepUpChannel"
> & {
  securityPhrase?: string | undefined;
  stepUpChannel?: CardholderRecord["stepUpChannel"] | undefined;
};
export type NewCard = { cardholderId: string; pan: string; expiry: string };

export type CardView = {
  id: string;
  cardholderId: string;
  panMasked: string;
  expiry: string;
  state: CardRecord["state"];
  /** The card this one replaced after a block, or null. */
  replaces: string | null;
  createdAt: string;
};

export type RegisterCardholderResult =
  | { ok: true; cardholder: CardholderRecord }
  | { ok: false; code: "invalid_time_zone"; message: string };

export type IssueCardResult =
  | { ok: true; card: CardView }
  | {
      ok: false;
      code:
        | "invalid_pan"
        | "cardholder_not_found"
        | "card_already_enrolled"
        | "card_expired"
        | "card_limit_reached";
      message: string;
    };

export type ResolveCardResult =
  | {
      ok: true;
      context: CardContext;
      /** When this process's copy of the card last changed (its record's updatedAtMs). */
      stateAtMs: number;
    }
  | { ok: false; code: "invalid_pan" | "card_not_found"; message: string };

/** IANA zones are checked by asking Intl to use them; the answer is cached per name. */
const timeZoneValidity = new Map<string, boolean>();
export function isValidTimeZone(timeZone: string): boolean {
  let isValid = timeZoneValidity.get(timeZone);
  if (isValid === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone });
      isValid = true;
    } catch {
      isValid = false;
    }
    if (timeZoneValidity.size < 1_000) {
      timeZoneValidity.set(timeZone, isValid);
    }
  }
  return isValid;
}

export function toCardView(card: CardRecord): CardView {
  return {
    id: card.id,
    cardholderId: card.cardholderId,
    panMasked: maskPan(card.panBin, card.panLast4),
    expiry: card.expiry,
    state: card.state,
    replaces: card.replacesCardId,
    createdAt: new Date(card.createdAtMs).toISOString(),
  };
}

export function createCardService(deps: {
  directory: CardDirectory;
  vault: PanVault;
  committer: Pick<GroupCommitter, "submit">;
  ids: IdGenerator;
  random: Random;
  clock: Clock;
  /** Where another process's changes to a card are read from, when several processes share the store. */
  store?: Pick<Store, "getCard" | "getCardholder">;
  /** Resolves once this process has read the other processes' latest writes (a shared store). */
  catchUp?: () => Promise<void>;
}) {
  const { directory, vault, committer, ids, clock } = deps;

  const absorb = async (card: CardRecord): Promise<void> => {
    const known = directory.getCard(card.id);
    // Unchanged is the common case on the authorization path: the cached context then stays.
    if (known !== undefined && (known.updatedAtMs > card.updatedAtMs || isSameCard(known, card))) {
      return;
    }
    if (directory.getCardholder(card.cardholderId) === undefined) {
      const cardholder = await deps.store?.getCardholder(card.cardholderId);
      // A card's holder is inserted before or with it; a missing one would be a broken store.
      assert(cardholder !== undefined && cardholder !== null, "a stored card's holder is stored");
      directory.putCardholder(cardholder);
    }
    directory.putCard(card);
  };

  const findCardIdByPan = (pan: string): string | undefined => {
    for (const hash of vault.hashesForLookup(pan)) {
      const cardId = directory.cardIdByPanHash(hash);
      if (cardId !== undefined) {
        return cardId;
      }
    }
    return undefined;
  };

  return {
    async registerCardholder(input: NewCardholder): Promise<RegisterCardholderResult> {
      if (!isValidTimeZone(input.timeZone)) {
        return { ok: false, code: "invalid_time_zone", message: `Unknown time zone ${input.timeZone}.` };
      }
      const cardholder: CardholderRecord = {
        id: ids.next("ch"),
        name: input.name,
        phone: input.phone,
        email: input.email,
        language: input.language,
        timeZone: input.timeZone,
        homeCountry: input.homeCountry,
        securityPhrase: input.securityPhrase ?? newSecurityPhrase(deps.random, input.language),
        stepUpChannel: input.stepUpChannel ?? "sms",
        createdAtMs: clock.nowMs(),
      };
      const result = await committer.submit({
        ops: [{ kind: "insertCardholder", cardholder }],
        audit: [
          {
            actor: "api_key",
            action: "cardholder.created",
            subjectId: cardholder.id,
            payload: { homeCountry: cardholder.homeCountry, language: cardholder.language },
            atMs: cardholder.createdAtMs,
          },
        ],
      });
      if (!result.ok) {
        throw new Error(`cardholder insert failed: ${result.code}`);
      }
      directory.putCardholder(cardholder);
      return { ok: true, cardholder };
    },

    async issueCard(input: NewCard): Promise<IssueCardResult> {
      const parsed = parsePan(input.pan);
      if (!parsed.ok) {
        return parsed;
      }
      if (directory.getCardholder(input.cardholderId) === undefined) {
        return { ok: false, code: "cardholder_not_found", message: "No cardholder with that id." };
      }
      const nowMs = clock.nowMs();
      if (input.expiry < new Date(nowMs).toISOString().slice(0, 7)) {
        return { ok: false, code: "card_expired", message: "The expiry month has passed." };
      }
      if (directory.counts().cards >= limits.cardsMax) {
        return {
          ok: false,
          code: "card_limit_reached",
          message: `This process holds at most ${limits.cardsMax} cards.`,
        };
      }
      const alreadyEnrolled = {
        ok: false,
        code: "card_already_enrolled",
        message: "Card already enrolled.",
      } as const;
      if (findCardIdByPan(parsed.pan) !== undefined) {
        return alreadyEnrolled;
      }
      const card: CardRecord = {
        id: ids.next("card"),
        cardholderId: input.cardholderId,
        panHash: vault.hash(parsed.pan),
        panCiphertext: vault.encrypt(parsed.pan),
        panBin: parsed.pan.slice(0, 6),
        panLast4: parsed.pan.slice(-4),
        expiry: input.expiry,
        state: "active",
        replacesCardId: null,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
      };
      const result = await committer.submit({
        ops: [{ kind: "insertCard", card }],
        audit: [
          {
            actor: "api_key",
            action: "card.created",
            subjectId: card.id,
            payload: { cardholderId: card.cardholderId, panBin: card.panBin, panLast4: card.panLast4 },
            atMs: nowMs,
          },
        ],
      });
      if (!result.ok) {
        // Two concurrent enrolments of one PAN: the store's unique key lets exactly one win.
        if (result.code === "duplicate_pan") {
          return alreadyEnrolled;
        }
        throw new Error(`card insert failed: ${result.code}`);
      }
      directory.putCard(card);
      return { ok: true, card: toCardView(card) };
    },

    getCard(id: string): CardView | undefined {
      const card = directory.getCard(id);
      return card === undefined ? undefined : toCardView(card);
    },

    getCardholder: (id: string): CardholderRecord | undefined => directory.getCardholder(id),

    listCardsOf: (cardholderId: string): CardView[] => directory.cardsOf(cardholderId).map(toCardView),

    /**
     * Takes a stored card into the directory, with its holder when this process has not seen
     * them, unless memory holds a newer change of it (a suspension this process decided a moment
     * ago, whose commit is still on its way).
     */
    absorb,

    /**
     * Reads the card from the store into the directory: with several API processes, another one
     * may have issued, blocked or suspended it since. A PAN this process has never seen is looked
     * for once more after catching up with the other processes' writes.
     */
    async refresh(reference: { pan: string } | { cardId: string }): Promise<void> {
      const store = deps.store;
      assert(store !== undefined, "refresh() is for a card service over a shared store");
      let cardId: string | undefined;
      if ("pan" in reference) {
        const parsed = parsePan(reference.pan);
        if (!parsed.ok) {
          return;
        }
        cardId = findCardIdByPan(parsed.pan);
        if (cardId === undefined && deps.catchUp !== undefined) {
          await deps.catchUp();
          cardId = findCardIdByPan(parsed.pan);
        }
      } else {
        cardId = reference.cardId;
      }
      const card = cardId === undefined ? null : await store.getCard(cardId);
      if (card !== null) {
        await absorb(card);
      }
    },

    resolveCard(reference: { pan: string } | { cardId: string }): ResolveCardResult {
      let cardId: string | undefined;
      if ("pan" in reference) {
        const parsed = parsePan(reference.pan);
        if (!parsed.ok) {
          return parsed;
        }
        cardId = findCardIdByPan(parsed.pan);
      } else {
        cardId = reference.cardId;
      }
      const context = cardId === undefined ? undefined : directory.context(cardId);
      const record = cardId === undefined ? undefined : directory.getCard(cardId);
      if (context === undefined || record === undefined) {
        return { ok: false, code: "card_not_found", message: "No enrolled card matches." };
      }
      return { ok: true, context, stateAtMs: record.updatedAtMs };
    },
  };
}

export type CardService = ReturnType<typeof createCardService>;

function isSameCard(a: CardRecord, b: CardRecord): boolean {
  return a.updatedAtMs === b.updatedAtMs && a.state === b.state && a.expiry === b.expiry;
}
