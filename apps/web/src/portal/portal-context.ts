/**
 * What every portal page needs: the language and its words, and the signed-in cardholder (their
 * time zone, their cards), loaded once by the shell and refreshed after an action changes a card.
 */
import type { PortalMeView } from "@mimamori/contracts";
import { createContext, useContext } from "react";
import type { Lang } from "../shared/i18n.ts";
import { type Messages, messages } from "./messages.ts";

export type PortalContextValue = {
  lang: Lang;
  text: Messages;
  /** Null on the public pages shown before sign-in. */
  me: PortalMeView | null;
  /** Resolves once the fresh answer is on screen, so a result can quote the new card state. */
  reloadMe: () => Promise<void>;
};

export const PortalContext = createContext<PortalContextValue>({
  lang: "ja",
  text: messages.ja,
  me: null,
  reloadMe: async () => {},
});

export function usePortal(): PortalContextValue {
  return useContext(PortalContext);
}
