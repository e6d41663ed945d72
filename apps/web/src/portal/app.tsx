/**
 * The portal shell: language, session and route. Signed out, it shows the sign-in page (and the
 * public help page); signed in, it loads the cardholder once and gives every page their cards and
 * time zone through the portal context.
 */
import type { PortalMeView } from "@mimamori/contracts";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useLang } from "../shared/i18n.ts";
import { navigate, useHashRoute } from "../shared/route.ts";
import { FailureMessage, LoadingMessage } from "./components/load-status.tsx";
import { SiteHeader, SiteNav } from "./components/site-header.tsx";
import { messages } from "./messages.ts";
import { CheckPage } from "./pages/check-page.tsx";
import { CodesPage } from "./pages/codes-page.tsx";
import { HelpPage } from "./pages/help-page.tsx";
import { HomePage } from "./pages/home-page.tsx";
import { ReissuePage } from "./pages/reissue-page.tsx";
import { SignInPage } from "./pages/sign-in-page.tsx";
import { portal, portalApi, signedOutEvent } from "./portal-api.ts";
import { PortalContext, type PortalContextValue, usePortal } from "./portal-context.ts";
import type { Loaded } from "./use-load.ts";

export function App() {
  const [lang, setLang] = useLang();
  const route = useHashRoute();
  const [isSignedIn, setSignedIn] = useState(() => portalApi.token() !== null);
  const main = useRef<HTMLElement>(null);
  const page = route[0] ?? "";
  const routeKey = route.join("/");

  useEffect(() => {
    const onSignedOut = () => setSignedIn(false);
    window.addEventListener(signedOutEvent, onSignedOut);
    return () => window.removeEventListener(signedOutEvent, onSignedOut);
  }, []);

  // A screen reader hears nothing when only the hash changes; moving focus to the new page does.
  const previousRouteKey = useRef(routeKey);
  useEffect(() => {
    if (previousRouteKey.current !== routeKey) {
      previousRouteKey.current = routeKey;
      main.current?.focus();
    }
  }, [routeKey]);

  const signOut = async () => {
    // Forget the token even when the server cannot be reached: the tab must not stay signed in.
    await portal.signOut();
    portalApi.setToken(null);
    setSignedIn(false);
    navigate();
  };

  const publicContext: PortalContextValue = {
    lang,
    text: messages[lang],
    me: null,
    reloadMe: async () => {},
  };
  return (
    <PortalContext.Provider value={publicContext}>
      {/* A button, not a link: the hash holds the route, so "#main" would leave the page. */}
      <button type="button" className="skip-link secondary" onClick={() => main.current?.focus()}>
        {publicContext.text.skipToContent}
      </button>
      <SiteHeader onSwitchLang={setLang} onSignOut={isSignedIn ? () => void signOut() : null} />
      <SiteNav isSignedIn={isSignedIn} current={page} />
      <main id="main" ref={main} tabIndex={-1}>
        {isSignedIn ? (
          <SignedIn>{pageOf(route)}</SignedIn>
        ) : page === "help" ? (
          <HelpPage situation={route[1]} />
        ) : (
          <SignInPage onSignedIn={() => setSignedIn(true)} />
        )}
      </main>
    </PortalContext.Provider>
  );
}

function pageOf(route: string[]): ReactNode {
  switch (route[0] ?? "") {
    case "":
      return <HomePage />;
    case "reissue":
      return <ReissuePage />;
    case "codes":
      return <CodesPage />;
    case "check":
      return <CheckPage />;
    case "help":
      return <HelpPage situation={route[1]} />;
    default:
      return <NotFoundPage />;
  }
}

/** Loads the cardholder, then shows the page with them in context. */
function SignedIn({ children }: { children: ReactNode }) {
  const outer = usePortal();
  const [me, setMe] = useState<Loaded<PortalMeView>>({ kind: "loading" });
  const reloadMe = useCallback(async () => {
    const result = await portal.me();
    setMe((previous) => {
      if (result.ok) {
        return { kind: "ready", value: result.value };
      }
      // A failed refresh keeps the cards already shown; only a failed first load replaces them.
      return previous.kind === "ready" ? previous : { kind: "failed", failure: result };
    });
  }, []);
  useEffect(() => {
    void reloadMe();
  }, [reloadMe]);
  const context = useMemo<PortalContextValue>(
    () => ({ ...outer, me: me.kind === "ready" ? me.value : null, reloadMe }),
    [outer, me, reloadMe],
  );
  switch (me.kind) {
    case "loading":
      return <LoadingMessage />;
    case "failed":
      return (
        <FailureMessage
          failure={me.failure}
          onRetry={() => {
            setMe({ kind: "loading" });
            void reloadMe();
          }}
        />
      );
    case "ready":
      return <PortalContext.Provider value={context}>{children}</PortalContext.Provider>;
  }
}

function NotFoundPage() {
  const { text } = usePortal();
  return (
    <section aria-labelledby="not-found-heading">
      <h2 id="not-found-heading">{text.notFoundTitle}</h2>
      <p>
        <a href="#/">{text.notFoundBody}</a>
      </p>
    </section>
  );
}
