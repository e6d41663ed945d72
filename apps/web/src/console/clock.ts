/**
 * One shared one-second tick for every SLA timer on the page: a queue of a hundred rows sets one
 * interval, not a hundred, and all timers turn over together.
 */
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let nowMs = wholeSecond();

function wholeSecond(): number {
  return Math.floor(Date.now() / 1000) * 1000;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    nowMs = wholeSecond();
    timer = setInterval(() => {
      nowMs = wholeSecond();
      for (const notify of listeners) {
        notify();
      }
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

// While nobody listens the stored instant goes stale, so read the clock instead; rounding to the
// second keeps two reads within one render equal, as React requires of a snapshot.
function snapshot(): number {
  return timer === null ? wholeSecond() : nowMs;
}

export function useNowMs(): number {
  return useSyncExternalStore(subscribe, snapshot);
}
