/**
 * What every console page needs: the API client, the language and its messages. The signed-in
 * operator is passed as a prop instead, so a page can never render without one.
 */
import { createContext, useContext } from "react";
import type { ApiResult, createApi } from "../shared/api.ts";
import type { Lang } from "../shared/i18n.ts";
import type { Messages } from "./messages.ts";

export type ApiFailure = Extract<ApiResult<unknown>, { ok: false }>;

/** The shared client, with the token calls the shell uses for signing in and out. */
export type ConsoleApi = ReturnType<typeof createApi>;

export type ConsoleContextValue = { api: ConsoleApi; lang: Lang; t: Messages };

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (value === null) {
    throw new Error("useConsole outside ConsoleContext");
  }
  return value;
}
