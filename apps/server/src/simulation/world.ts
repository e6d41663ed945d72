import { createSeededRandom } from "../platform/random.ts";
import { type Cardholder, createCardholder } from "./cardholder.ts";
import { deriveSeed } from "./distributions.ts";
import { createMerchantCatalogue, type MerchantCatalogue } from "./merchant-catalogue.ts";

/**
 * Independent random streams of one seed. The catalogue has its own, so the demo issuer and a
 * history of any size built from the same seed name the same merchants.
 */
export const randomStreams = { catalogue: 0, cardholders: 1, genuine: 2, campaigns: 3, demo: 4 } as const;

export type World = {
  readonly catalogue: MerchantCatalogue;
  readonly cardholders: readonly Cardholder[];
};

export function createWorldCatalogue(seed: number): MerchantCatalogue {
  return createMerchantCatalogue(createSeededRandom(deriveSeed(seed, randomStreams.catalogue)));
}

export function createWorld(seed: number, cardholderCount: number): World {
  const catalogue = createWorldCatalogue(seed);
  const random = createSeededRandom(deriveSeed(seed, randomStreams.cardholders));
  const cardholders: Cardholder[] = [];
  let nextCardIndex = 0;
  for (let index = 0; index < cardholderCount; index++) {
    const cardholder = createCardholder(random, catalogue, index, nextCardIndex);
    nextCardIndex += cardholder.cardIndexes.length;
    cardholders.push(cardholder);
  }
  return { catalogue, cardholders };
}
