/**
 * Rulesets: the list with each one's status, an editor that checks the text as the supervisor
 * types, and the way a draft goes live: backtest, shadow, request activation, and approval by a
 * second person. Analysts see the same page read-only.
 */
import type {
  ActivationRequestView,
  BacktestBody,
  BacktestView,
  DiagnosticView,
  OperatorView,
  RulesetView,
} from "@mimamori/contracts";
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { formatTime } from "../../shared/i18n.ts";
import { navigate } from "../../shared/route.ts";
import { BacktestResult } from "../components/backtest-result.tsx";
import { ErrorNotice, ResourceView } from "../components/notice.tsx";
import { DiagnosticsPanel, RulesetEditor, showInEditor } from "../components/ruleset-editor.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
import { type ApiFailure, useConsole } from "../console-context.ts";
import { localInputToIso } from "../format.ts";
import type { RulesetListView } from "../types.ts";
import { useResource } from "../use-resource.ts";

/** How long typing must pause before the text is checked: fast enough to feel live, without a request per key. */
const checkDelayMs = 300;

export function RulesPage({ operator, rulesetId }: { operator: OperatorView; rulesetId: string | null }) {
  const { t } = useConsole();
  const list = useResource<RulesetListView>("/v1/console/rulesets");
  const canEdit = operator.role === "supervisor";
  return (
    <div className="page">
      <h1>{t.rulesTitle}</h1>
      <ResourceView resource={list.resource} onRetry={list.reload}>
        {(value) => (
          <div className="rules-columns">
            <RulesetList
              rulesets={value.rulesets}
              requests={value.activationRequests}
              selectedId={rulesetId}
            />
            <div className="rules-main">
              {rulesetId === null ? (
                <NewDraft rulesets={value.rulesets} canEdit={canEdit} onSaved={list.reload} />
              ) : (
                <SelectedRuleset
                  key={rulesetId}
                  rulesetId={rulesetId}
                  operator={operator}
                  requests={value.activationRequests}
                  onChanged={list.reload}
                />
              )}
            </div>
          </div>
        )}
      </ResourceView>
    </div>
  );
}

function RulesetList({
  rulesets,
  requests,
  selectedId,
}: {
  rulesets: RulesetView[];
  requests: ActivationRequestView[];
  selectedId: string | null;
}) {
  const { t, lang } = useConsole();
  const id = useId();
  const newest = [...rulesets].sort(
    (left, right) => Date.parse(right.updatedAt) - Date.parse(left.updatedAt),
  );
  return (
    <section aria-labelledby={id} className="panel rules-list">
      <h2 id={id}>{t.rulesetList}</h2>
      <p>
        <a href="#/rules" aria-current={selectedId === null ? "page" : undefined}>
          + {t.newDraft}
        </a>
      </p>
      <TableScroll label={t.rulesetList}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.colName}</th>
              <th scope="col">{t.colVersion}</th>
              <th scope="col">{t.colStatus}</th>
              <th scope="col">{t.colUpdated}</th>
            </tr>
          </thead>
          <tbody>
            {newest.map((ruleset) => {
              const request = requests.find((candidate) => candidate.rulesetId === ruleset.id);
              return (
                <tr key={ruleset.id} className={ruleset.id === selectedId ? "selected" : undefined}>
                  <td>
                    <a
                      href={`#/rules/${encodeURIComponent(ruleset.id)}`}
                      aria-current={ruleset.id === selectedId ? "page" : undefined}
                    >
                      {ruleset.name}
                    </a>
                  </td>
                  <td className="numeric">{ruleset.version}</td>
                  <td>
                    <StatusBadge status={ruleset.status} />
                    {request === undefined ? null : (
                      <span className="block muted">
                        <span aria-hidden="true">⏳ </span>
                        {t.requestActivation}
                      </span>
                    )}
                  </td>
                  <td>{formatTime(ruleset.updatedAt, lang)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function StatusBadge({ status }: { status: RulesetView["status"] }) {
  const { t } = useConsole();
  return <span className={`badge badge-status-${status}`}>{t.statuses[status] ?? status}</span>;
}

/** The editor for a new draft, starting from the active ruleset's text. */
function NewDraft({
  rulesets,
  canEdit,
  onSaved,
}: {
  rulesets: RulesetView[];
  canEdit: boolean;
  onSaved: () => void;
}) {
  const { t } = useConsole();
  const id = useId();
  const active = rulesets.find((ruleset) => ruleset.status === "active");
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t.newDraft}</h2>
      <RulesetWorkbench
        initialName={active?.name ?? ""}
        initialText={active?.text ?? ""}
        canEdit={canEdit}
        onSaved={(saved) => {
          onSaved();
          navigate("rules", saved.id);
        }}
      />
    </section>
  );
}

function SelectedRuleset({
  rulesetId,
  operator,
  requests,
  onChanged,
}: {
  rulesetId: string;
  operator: OperatorView;
  requests: ActivationRequestView[];
  onChanged: () => void;
}) {
  const { t } = useConsole();
  const id = useId();
  const { resource, reload } = useResource<RulesetView>(
    `/v1/console/rulesets/${encodeURIComponent(rulesetId)}`,
  );
  const canEdit = operator.role === "supervisor";
  const changed = () => {
    reload();
    onChanged();
  };
  return (
    <ResourceView resource={resource} onRetry={reload}>
      {(ruleset) => (
        <>
          {canEdit ? (
            <RulesetActions
              ruleset={ruleset}
              operator={operator}
              request={requests.find((request) => request.rulesetId === ruleset.id) ?? null}
              onChanged={changed}
            />
          ) : null}
          <section aria-labelledby={id} className="panel">
            <h2 id={id}>
              {t.editDraftFrom(ruleset.name, ruleset.version)} <StatusBadge status={ruleset.status} />
            </h2>
            <p className="muted">
              <code>{ruleset.id}</code>
            </p>
            <RulesetWorkbench
              key={ruleset.id}
              initialName={ruleset.name}
              initialText={ruleset.text}
              canEdit={canEdit}
              onSaved={(saved) => {
                onChanged();
                navigate("rules", saved.id);
              }}
            />
          </section>
        </>
      )}
    </ResourceView>
  );
}

type CheckState = {
  status: "idle" | "checking" | "checked";
  diagnostics: DiagnosticView[];
  checkedText: string;
};

/** The text and name of a ruleset being written, checked as it changes, and saved as a draft. */
function RulesetWorkbench({
  initialName,
  initialText,
  canEdit,
  onSaved,
}: {
  initialName: string;
  initialText: string;
  canEdit: boolean;
  onSaved: (ruleset: RulesetView) => void;
}) {
  const { api, t } = useConsole();
  const id = useId();
  const [name, setName] = useState(initialName);
  const [text, setText] = useState(initialText);
  const [check, setCheck] = useState<CheckState>({ status: "idle", diagnostics: [], checkedText: "" });
  const [checkError, setCheckError] = useState<ApiFailure | null>(null);
  const [saveError, setSaveError] = useState<ApiFailure | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  // Answers can arrive out of order; only the newest request's answer is shown.
  const checkSequence = useRef(0);

  const runCheck = useCallback(
    async (checkedText: string) => {
      checkSequence.current += 1;
      const sequence = checkSequence.current;
      setCheck((previous) => ({ ...previous, status: "checking" }));
      const result = await api.post<{ ok: boolean; diagnostics: DiagnosticView[] }>(
        "/v1/console/rulesets/check",
        {
          text: checkedText,
        },
      );
      if (sequence !== checkSequence.current) {
        return;
      }
      if (result.ok) {
        setCheckError(null);
        setCheck({ status: "checked", diagnostics: result.value.diagnostics, checkedText });
      } else {
        setCheckError(result);
        setCheck((previous) => ({ ...previous, status: "idle" }));
      }
    },
    [api],
  );

  useEffect(() => {
    if (!canEdit) {
      return;
    }
    const timer = setTimeout(() => void runCheck(text), checkDelayMs);
    return () => clearTimeout(timer);
  }, [canEdit, text, runCheck]);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setIsSaving(true);
    setSaveError(null);
    const result = await api.post<RulesetView>("/v1/console/rulesets", { name: name.trim(), text });
    setIsSaving(false);
    if (result.ok) {
      onSaved(result.value);
      return;
    }
    setSaveError(result);
    if (result.code === "ruleset_invalid") {
      // The shared client keeps only the code and message, so ask /check for the details.
      void runCheck(text);
    }
  };

  return (
    <form className="workbench" onSubmit={(event) => void save(event)}>
      {canEdit ? (
        <>
          <label htmlFor={`${id}-name`}>{t.rulesetName}</label>
          <input
            id={`${id}-name`}
            name="name"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </>
      ) : null}
      <p id={`${id}-hint`} className="muted hint">
        {canEdit ? t.editorHint : t.readOnlyHint}
      </p>
      <RulesetEditor
        text={text}
        onChange={setText}
        isReadOnly={!canEdit}
        diagnostics={check.diagnostics}
        textareaRef={textareaRef}
        describedBy={`${id}-hint ${id}-diagnostics`}
      />
      {canEdit ? (
        <DiagnosticsPanel
          id={`${id}-diagnostics`}
          status={check.status}
          diagnostics={check.diagnostics}
          checkedText={check.checkedText}
          onShow={(diagnostic) => {
            if (textareaRef.current !== null) {
              showInEditor(textareaRef.current, diagnostic);
            }
          }}
        />
      ) : null}
      {checkError === null ? null : <ErrorNotice error={checkError} />}
      {saveError === null ? null : <ErrorNotice error={saveError} />}
      {canEdit ? (
        <button type="submit" disabled={isSaving}>
          {isSaving ? t.saving : t.saveDraft}
        </button>
      ) : null}
    </form>
  );
}

/** The steps that take a draft live; each is refused by the server if the status does not allow it. */
function RulesetActions({
  ruleset,
  operator,
  request,
  onChanged,
}: {
  ruleset: RulesetView;
  operator: OperatorView;
  request: ActivationRequestView | null;
  onChanged: () => void;
}) {
  const { api, t, lang } = useConsole();
  const id = useId();
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [backtest, setBacktest] = useState<BacktestView | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const base = `/v1/console/rulesets/${encodeURIComponent(ruleset.id)}`;
  const isCandidate = ruleset.status === "draft" || ruleset.status === "shadow";

  const act = async <T,>(path: string, body?: unknown, onDone?: (value: T) => void) => {
    setIsBusy(true);
    setError(null);
    const result = await api.post<T>(`${base}/${path}`, body);
    setIsBusy(false);
    if (!result.ok) {
      setError(result);
      return;
    }
    onDone?.(result.value);
    if (path !== "backtest") {
      onChanged();
    }
  };

  const runBacktest = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fromIso = from === "" ? null : localInputToIso(from);
    const toIso = to === "" ? null : localInputToIso(to);
    const body: BacktestBody = {
      ...(fromIso === null ? {} : { from: fromIso }),
      ...(toIso === null ? {} : { to: toIso }),
    };
    void act<BacktestView>("backtest", body, setBacktest);
  };

  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t.rulesetActions}</h2>
      <p>{t.statusNow(t.statuses[ruleset.status] ?? ruleset.status)}</p>
      {request === null ? null : (
        <div className="notice">
          <p>{t.activationRequested(request.requestedBy.name, formatTime(request.requestedAt, lang))}</p>
          {request.requestedBy.id === operator.id ? <p className="muted">{t.requestedBySelf}</p> : null}
          <button type="button" disabled={isBusy} onClick={() => void act("activation-approvals")}>
            {t.approve}
          </button>
        </div>
      )}
      {isCandidate ? (
        <div className="button-row">
          {ruleset.status === "draft" ? (
            <button type="button" className="secondary" disabled={isBusy} onClick={() => void act("shadow")}>
              {t.shadow}
            </button>
          ) : null}
          {request === null ? (
            <button
              type="button"
              className="secondary"
              disabled={isBusy}
              onClick={() => void act("activation-requests")}
            >
              {t.requestActivation}
            </button>
          ) : null}
        </div>
      ) : null}
      {error === null ? null : <ErrorNotice error={error} />}
      {isCandidate ? (
        <form className="subform" onSubmit={runBacktest} aria-labelledby={`${id}-backtest`}>
          <h3 id={`${id}-backtest`}>{t.backtest}</h3>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={`${id}-from`}>{t.backtestFrom}</label>
              <input
                id={`${id}-from`}
                type="datetime-local"
                value={from}
                onChange={(event) => setFrom(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-to`}>{t.backtestTo}</label>
              <input
                id={`${id}-to`}
                type="datetime-local"
                value={to}
                onChange={(event) => setTo(event.target.value)}
              />
            </div>
          </div>
          <button type="submit" disabled={isBusy}>
            {isBusy ? t.loading : t.runBacktest}
          </button>
        </form>
      ) : null}
      {backtest === null ? null : <BacktestResult backtest={backtest} />}
    </section>
  );
}
