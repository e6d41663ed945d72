/**
 * One GET, its loading and error states, and a reload that keeps showing the last value while it
 * runs, so a refresh after an action does not blank the page.
 */
import { useCallback, useEffect, useState } from "react";
import { type ApiFailure, useConsole } from "./console-context.ts";

export type Resource<T> =
  | { state: "loading" }
  | { state: "error"; error: ApiFailure }
  | { state: "ready"; value: T; isRefreshing: boolean };

export type ResourceHandle<T> = {
  resource: Resource<T>;
  reload: () => void;
  /** Changes the loaded value in place, for what an action returned, without a round trip. */
  update: (change: (value: T) => T) => void;
};

export function useResource<T>(path: string): ResourceHandle<T> {
  const { api } = useConsole();
  const [resource, setResource] = useState<Resource<T>>({ state: "loading" });
  const [generation, setGeneration] = useState(0);
  const [loadedPath, setLoadedPath] = useState(path);

  // A new path is a new resource: show loading rather than the previous one's value.
  if (loadedPath !== path) {
    setLoadedPath(path);
    setResource({ state: "loading" });
  }

  useEffect(() => {
    let isCurrent = true;
    setResource((previous) =>
      previous.state === "ready" && generation > 0 ? { ...previous, isRefreshing: true } : previous,
    );
    api.get<T>(path).then((result) => {
      if (!isCurrent) {
        return;
      }
      setResource(
        result.ok
          ? { state: "ready", value: result.value, isRefreshing: false }
          : { state: "error", error: result },
      );
    });
    return () => {
      isCurrent = false;
    };
  }, [api, path, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const update = useCallback((change: (value: T) => T) => {
    setResource((previous) =>
      previous.state === "ready" ? { ...previous, value: change(previous.value) } : previous,
    );
  }, []);
  return { resource, reload, update };
}
