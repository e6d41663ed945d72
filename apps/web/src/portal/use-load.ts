/**
 * Loads one API answer for a page: loading, failed (with the server's code) or ready. A reload
 * keeps the last answer on screen until the new one arrives, so refreshing never blanks the page.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ApiResult } from "../shared/api.ts";

export type Failure = { status: number; code: string; message: string };

export type Loaded<T> =
  | { kind: "loading" }
  | { kind: "failed"; failure: Failure }
  | { kind: "ready"; value: T };

type Answered<T> = { key: string; version: number; loaded: Loaded<T> };

/** `key` names what is loaded (a situation, a language): a new key shows loading again. */
export function useLoad<T>(
  key: string,
  load: () => Promise<ApiResult<T>>,
): { loaded: Loaded<T>; reload: () => void } {
  const loadLatest = useRef(load);
  useLayoutEffect(() => {
    loadLatest.current = load;
  });
  const [version, setVersion] = useState(0);
  const [answered, setAnswered] = useState<Answered<T> | null>(null);
  useEffect(() => {
    // An answer for an earlier key or version arriving late must not replace a newer one.
    let isCurrent = true;
    void loadLatest.current().then((result) => {
      if (!isCurrent) {
        return;
      }
      const loaded: Loaded<T> = result.ok
        ? { kind: "ready", value: result.value }
        : { kind: "failed", failure: { status: result.status, code: result.code, message: result.message } };
      setAnswered({ key, version, loaded });
    });
    return () => {
      isCurrent = false;
    };
  }, [key, version]);
  const reload = useCallback(() => setVersion((current) => current + 1), []);
  const loaded: Loaded<T> = answered === null || answered.key !== key ? { kind: "loading" } : answered.loaded;
  return { loaded, reload };
}
