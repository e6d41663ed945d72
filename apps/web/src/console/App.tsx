/**
 * The console's shell: the operator's session, the header with the navigation their role allows,
 * the language switch, and the page the URL hash names.
 */
import type { OperatorRole, OperatorView } from "@mimamori/contracts";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createApi } from "../shared/api.ts";
import { useLang } from "../shared/i18n.ts";
import { LangSwitch } from "../shared/lang-switch.tsx";
import { useHashRoute } from "../shared/route.ts";
import { ErrorNotice, LoadingNotice } from "./components/notice.tsx";
import { type ApiFailure, ConsoleContext, useConsole } from "./console-context.ts";
import { messages } from "./messages.ts";
import { CasePage } from "./pages/case-page.tsx";
import { CaseSearchPage } from "./pages/case-search-page.tsx";
import { OperatorsPage } from "./pages/operators-page.tsx";
import { OutboxPage } from "./pages/outbox-page.tsx";
import { QueuePage } from "./pages/queue-page.tsx";
import { RulesPage } from "./pages/rules-page.tsx";
import { SignInPage } from "./pages/sign-in-page.tsx";
import { StatsPage } from "./pages/stats-page.tsx";

const tokenStorageKey = "mimamori.console.token";

type PageName = "queue" | "cases" | "rules" | "stats" | "outbox" | "operators";

/** What each role may open; the server checks again and answers 403 `forbidden` otherwise. */
const pagesByRole: Record<OperatorRole, readonly PageName[]> = {
  analyst: ["queue", "cases", "rules", "stats", "outbox"],
  supervisor: ["queue", "cases", "rules", "stats", "outbox"],
  admin: ["stats", "outbox", "operators"],
};

const pageNames: readonly PageName[] = ["queue", "cases", "rules", "stats", "outbox", "operators"];

type Session =
  | { state: "checking" }
  | { state: "signed_out"; hasExpired: boolean }
  | { state: "signed_in"; operator: OperatorView }
  | { state: "failed"; error: ApiFailure };

export function App() {
  const [lang, setLang] = useLang();
  const t = messages[lang];
  const [session, setSession] = useState<Session>({ state: "checking" });
  const api = useMemo(
    () =>
      createApi(tokenStorageKey, () =>
        setSession((previous) =>
          previous.state === "signed_in" ? { state: "signed_out", hasExpired: true } : previous,
        ),
      ),
    [],
  );
  const context = useMemo(() => ({ api, lang, t }), [api, lang, t]);

  const resume = useCallback(async () => {
    if (api.token() === null) {
      setSession({ state: "signed_out", hasExpired: false });
      return;
    }
    setSession({ state: "checking" });
    const result = await api.get<{ operator: OperatorView }>("/v1/console/me");
    if (result.ok) {
      setSession({ state: "signed_in", operator: result.value.operator });
    } else if (result.status === 401) {
      setSession({ state: "signed_out", hasExpired: true });
    } else {
      setSession({ state: "failed", error: result });
    }
  }, [api]);

  useEffect(() => {
    void resume();
  }, [resume]);

  const signOut = async () => {
    await api.post("/v1/console/sign-out");
    api.setToken(null);
    setSession({ state: "signed_out", hasExpired: false });
  };

  return (
    <ConsoleContext.Provider value={context}>
      <SkipLink />
      <header className="console-header">
        <p className="console-brand">{t.appName}</p>
        {session.state === "signed_in" ? (
          <p className="console-operator">
            <span className="visually-hidden">{t.signedInAs} </span>
            <span>{session.operator.name}</span>{" "}
            <span className="badge badge-role">{t.roles[session.operator.role]}</span>
          </p>
        ) : null}
        <div className="console-header-actions">
          <LangSwitch lang={lang} onSwitch={setLang} label={t.langSwitch} ariaLabel={t.langSwitchLabel} />
          {session.state === "signed_in" ? (
            <button type="button" className="secondary" onClick={() => void signOut()}>
              {t.signOut}
            </button>
          ) : null}
        </div>
        {session.state === "signed_in" ? <ConsoleNav role={session.operator.role} /> : null}
      </header>
      <main id="main" tabIndex={-1} className="console-main">
        {session.state === "checking" ? <LoadingNotice /> : null}
        {session.state === "failed" ? (
          <ErrorNotice error={session.error} onRetry={() => void resume()} />
        ) : null}
        {session.state === "signed_out" ? (
          <SignInPage
            hasExpired={session.hasExpired}
            onSignedIn={(operator) => setSession({ state: "signed_in", operator })}
          />
        ) : null}
        {session.state === "signed_in" ? <ConsolePage operator={session.operator} /> : null}
      </main>
    </ConsoleContext.Provider>
  );
}

/**
 * The skip link is a button that focuses the main landmark: a `#main` link would replace the
 * route in the hash.
 */
function SkipLink() {
  const { t } = useConsole();
  return (
    <button
      type="button"
      className="skip-link secondary"
      onClick={() => document.getElementById("main")?.focus()}
    >
      {t.skipToContent}
    </button>
  );
}

/** The route's first part without a query (`cases?query=…` is the cases page). */
function pageOf(parts: string[], role: OperatorRole): PageName | "unknown" {
  const first = (parts[0] ?? "").split("?")[0] ?? "";
  if (first === "") {
    return role === "admin" ? "stats" : "queue";
  }
  return pageNames.find((name) => name === first) ?? "unknown";
}

function ConsoleNav({ role }: { role: OperatorRole }) {
  const { t } = useConsole();
  const parts = useHashRoute();
  const current = pageOf(parts, role);
  return (
    <nav aria-label={t.navLabel} className="console-nav">
      <ul>
        {pagesByRole[role].map((name) => (
          <li key={name}>
            <a
              href={name === "queue" ? "#/" : `#/${name}`}
              aria-current={current === name ? "page" : undefined}
            >
              {t.nav[name]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function ConsolePage({ operator }: { operator: OperatorView }) {
  const { t } = useConsole();
  const parts = useHashRoute();
  const page = pageOf(parts, operator.role);
  const routeKey = parts.join("/");

  // After a route change, move focus to the page so a screen reader starts at its heading.
  const isFirstRoute = useRef(true);
  useEffect(() => {
    if (isFirstRoute.current) {
      isFirstRoute.current = false;
      return;
    }
    if (routeKey !== "") {
      document.getElementById("main")?.focus({ preventScroll: true });
    }
  }, [routeKey]);

  if (page === "unknown") {
    return <h1>{t.notFound}</h1>;
  }
  if (!pagesByRole[operator.role].includes(page)) {
    return (
      <>
        <h1>{t.nav[page]}</h1>
        <p className="notice notice-error" role="alert">
          {t.notAllowed}
        </p>
      </>
    );
  }
  const id = parts[1];
  switch (page) {
    case "queue":
      return <QueuePage />;
    case "cases":
      return id === undefined ? <CaseSearchPage /> : <CasePage key={id} caseId={id} />;
    case "rules":
      return <RulesPage operator={operator} rulesetId={id ?? null} />;
    case "stats":
      return <StatsPage />;
    case "outbox":
      return <OutboxPage />;
    case "operators":
      return <OperatorsPage />;
  }
}
