/**
 * Step-up's rates by merchant and by country: how many authentications pass without friction,
 * how many are challenged, and how many challenges end in success. Counters since the process
 * started, as a metrics scraper expects; the durable record of each authentication is its
 * document. Keys beyond `limits.stepUpMetricsKeysMax` count under "other", so a flood of new
 * merchants cannot grow memory without bound.
 */
import { limits } from "../config/limits.ts";
import type { Authentication } from "./authentication.ts";

type Counts = {
  authentications: number;
  frictionless: number;
  challenged: number;
  rejected: number;
  challengesSucceeded: number;
  challengesFailed: number;
};

const otherKey = "other";

function emptyCounts(): Counts {
  return {
    authentications: 0,
    frictionless: 0,
    challenged: 0,
    rejected: 0,
    challengesSucceeded: 0,
    challengesFailed: 0,
  };
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

export function createStepUpMetrics() {
  const total = emptyCounts();
  const byMerchant = new Map<string, Counts>();
  const byCountry = new Map<string, Counts>();

  const countsIn = (table: Map<string, Counts>, key: string): Counts => {
    let counts = table.get(key);
    if (counts === undefined) {
      const isFull = table.size >= limits.stepUpMetricsKeysMax;
      const chosen = isFull ? otherKey : key;
      counts = table.get(chosen) ?? emptyCounts();
      table.set(chosen, counts);
    }
    return counts;
  };
  const each = (authentication: Authentication, count: (counts: Counts) => void): void => {
    count(total);
    count(countsIn(byMerchant, authentication.merchant.id));
    count(countsIn(byCountry, authentication.merchant.country));
  };
  const view = (key: string, counts: Counts) => ({
    key,
    ...counts,
    frictionlessRate: rate(counts.frictionless, counts.authentications),
    challengeRate: rate(counts.challenged, counts.authentications),
    challengeSuccessRate: rate(
      counts.challengesSucceeded,
      counts.challengesSucceeded + counts.challengesFailed,
    ),
  });
  const tableView = (table: Map<string, Counts>) =>
    [...table]
      .sort((a, b) => b[1].authentications - a[1].authentications || (a[0] < b[0] ? -1 : 1))
      .slice(0, limits.pageSizeMax)
      .map(([key, counts]) => view(key, counts));

  return {
    authenticationAnswered(authentication: Authentication): void {
      each(authentication, (counts) => {
        counts.authentications += 1;
        if (authentication.initialTransStatus === "Y") {
          counts.frictionless += 1;
        } else if (authentication.initialTransStatus === "C") {
          counts.challenged += 1;
        } else {
          counts.rejected += 1;
        }
      });
    },
    challengeClosed(authentication: Authentication, isSuccess: boolean): void {
      each(authentication, (counts) => {
        if (isSuccess) {
          counts.challengesSucceeded += 1;
        } else {
          counts.challengesFailed += 1;
        }
      });
    },
    /** The busiest merchants and countries first, a page of each. */
    view() {
      return {
        total: view("total", total),
        byMerchant: tableView(byMerchant),
        byCountry: tableView(byCountry),
      };
    },
  };
}
