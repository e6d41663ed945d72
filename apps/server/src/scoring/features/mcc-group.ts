/**
 * Merchant category codes (ISO 18245, with the titles Visa and Mastercard publish) grouped by
 * the fraud pattern they serve. Rules name a group, not a list of codes, so a ruleset reads as
 * intent ("resellable goods") and a new code is added here once for every rule.
 */
import { assert } from "../../platform/assert.ts";

export const mccGroups = [
  "resellable",
  "quasi_cash",
  "money_transfer",
  "gambling",
  "cash",
  "travel",
  "digital_goods",
  "everyday",
  "other",
] as const;
export type MccGroup = (typeof mccGroups)[number];

/** A single code, or an inclusive range of codes. */
type MccSpan = number | readonly [number, number];

const spansByGroup: Readonly<Record<Exclude<MccGroup, "other">, readonly MccSpan[]>> = {
  // Goods a fraudster turns into cash quickly: the "rapid bursts of resellable goods" signal.
  resellable: [
    5732, // Electronics Stores (game consoles, phones)
    5734, // Computer Software Stores
    5944, // Jewelry Stores, Watches, Clocks, and Silverware Stores
    5945, // Hobby, Toy, and Game Shops
    5946, // Camera and Photographic Supply Stores
    5094, // Precious Stones and Metals, Watches and Jewelry
    7922, // Theatrical Producers (Except Motion Pictures) and Ticket Agencies: resold tickets
    // Stored Value Card Purchase/Load (Visa's title): gift and prepaid cards, the classic
    // resale good. 5999 (Miscellaneous and Specialty Retail) also sells gift cards, but it
    // covers too many ordinary shops to mean anything on its own, so it stays "other".
    6540,
  ],
  // Purchases that are cash in another form: the credit line leaves as something spendable.
  quasi_cash: [
    6050, // Quasi Cash – Member Financial Institution
    6051, // Non-Financial Institutions – Foreign Currency, Money Orders, Travelers Cheques, crypto
  ],
  // Money sent to another person or account: the usual last hop of a cash-out.
  money_transfer: [
    4829, // Wire Transfers and Money Orders
    6536, // MoneySend Intracountry
    6537, // MoneySend Intercountry
    6538, // MoneySend Funding
  ],
  gambling: [
    7995, // Betting, including Lottery Tickets, Casino Gaming Chips, Off-Track Betting
    7800, // Government-Owned Lotteries
    7801, // Government Licensed On-Line Casinos (On-Line Gambling)
    7802, // Government-Licensed Horse/Dog Racing
  ],
  cash: [
    6010, // Financial Institutions – Manual Cash Disbursements
    6011, // Financial Institutions – Automated Cash Disbursements (ATM)
  ],
  // Travel explains a first use abroad, so rules can treat it differently from a foreign shop.
  travel: [
    [3000, 3350], // Airlines, each carrier with its own code
    [3351, 3500], // Car Rental Agencies, each with its own code
    [3501, 3999], // Lodging – Hotels, Motels, Resorts, each chain with its own code
    4112, // Passenger Railways
    4411, // Steamship and Cruise Lines
    4511, // Airlines and Air Carriers
    4722, // Travel Agencies and Tour Operators
    7011, // Lodging – Hotels, Motels, Resorts, Central Reservation Services
    7512, // Automobile Rental Agency
  ],
  // Instant delivery to an account: the goods are gone before the cardholder notices.
  digital_goods: [
    5815, // Digital Goods Media – Books, Movies, Digital Artwork/Images, Music
    5816, // Digital Goods – Games
    5817, // Digital Goods – Applications (Excludes Games)
    5818, // Digital Goods – Large Digital Goods Merchant
  ],
  // The habits a profile is made of: small, frequent, local.
  everyday: [
    4111, // Local and Suburban Commuter Passenger Transportation, Including Ferries
    5411, // Grocery Stores and Supermarkets
    5499, // Miscellaneous Food Stores – Convenience Stores and Specialty Markets
    5541, // Service Stations
    5542, // Automated Fuel Dispensers
    5812, // Eating Places and Restaurants
    5814, // Fast Food Restaurants
    5912, // Drug Stores and Pharmacies
  ],
};

const mccCount = 10_000;
const otherIndex = mccGroups.indexOf("other");

/** Group index by MCC: a 10 KB table, so classifying costs one load on the hot path. */
const groupIndexByMcc = buildGroupIndexByMcc();

function buildGroupIndexByMcc(): Uint8Array {
  const table = new Uint8Array(mccCount).fill(otherIndex);
  for (const [index, group] of mccGroups.entries()) {
    if (group === "other") {
      continue;
    }
    for (const span of spansByGroup[group]) {
      const [first, last] = typeof span === "number" ? [span, span] : span;
      for (let mcc = first; mcc <= last; mcc++) {
        assert(table[mcc] === otherIndex, `MCC ${mcc} is in two groups`);
        table[mcc] = index;
      }
    }
  }
  return table;
}

/** The group's position in `mccGroups`: what the state stores per authorization and profile. */
export function mccGroupIndexOf(mcc: string): number {
  assert(mcc.length === 4, "an MCC has four digits, checked at the edge");
  let code = 0;
  for (let i = 0; i < 4; i++) {
    const digit = mcc.charCodeAt(i) - 48;
    assert(digit >= 0 && digit <= 9, "an MCC has four digits, checked at the edge");
    code = code * 10 + digit;
  }
  return groupIndexByMcc[code] ?? otherIndex;
}

export function mccGroupAt(index: number): MccGroup {
  const group = mccGroups[index];
  assert(group !== undefined, `no MCC group at ${index}`);
  return group;
}

export function mccGroupOf(mcc: string): MccGroup {
  return mccGroupAt(mccGroupIndexOf(mcc));
}
