/**
 * Operators (administrators only): who can sign in to the console and with which role. A new
 * operator's authenticator secret is shown once, right after creation; the server keeps no way
 * to show it again, so a lost secret means a new operator account.
 */
import {
  type CreateOperatorBody,
  type OperatorRole,
  type OperatorView,
  operatorRoleValues,
} from "@mimamori/contracts";
import { type FormEvent, useId, useState } from "react";
import { formatTime } from "../../shared/i18n.ts";
import { ErrorNotice, ResourceView } from "../components/notice.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
import { type ApiFailure, useConsole } from "../console-context.ts";
import type { CreatedOperatorView } from "../types.ts";
import { useResource } from "../use-resource.ts";

export function OperatorsPage() {
  const { t, lang } = useConsole();
  const id = useId();
  const { resource, reload, update } = useResource<{ operators: OperatorView[] }>("/v1/console/operators");
  const [created, setCreated] = useState<CreatedOperatorView | null>(null);
  return (
    <div className="page">
      <h1>{t.operatorsTitle}</h1>
      {created === null ? null : <TotpNotice created={created} onDismiss={() => setCreated(null)} />}
      <section aria-labelledby={`${id}-list`} className="panel">
        <h2 id={`${id}-list`}>{t.operatorsTitle}</h2>
        <ResourceView resource={resource} onRetry={reload}>
          {(value) => (
            <TableScroll label={t.operatorsTitle}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.colName}</th>
                    <th scope="col">{t.colEmail}</th>
                    <th scope="col">{t.colRole}</th>
                    <th scope="col">{t.colCreated}</th>
                  </tr>
                </thead>
                <tbody>
                  {value.operators.map((operator) => (
                    <tr key={operator.id}>
                      <td>{operator.name}</td>
                      <td>{operator.email}</td>
                      <td>{t.roles[operator.role]}</td>
                      <td>{formatTime(operator.createdAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </ResourceView>
      </section>
      <CreateOperatorForm
        onCreated={(value) => {
          setCreated(value);
          update((current) => ({ operators: [...current.operators, value.operator] }));
        }}
      />
    </div>
  );
}

function TotpNotice({ created, onDismiss }: { created: CreatedOperatorView; onDismiss: () => void }) {
  const { t } = useConsole();
  const id = useId();
  return (
    <section className="notice notice-ok totp" aria-labelledby={id} role="status">
      <h2 id={id}>{t.totpTitle(created.operator.name)}</h2>
      <p>
        <span aria-hidden="true">⚠ </span>
        {t.totpOnce}
      </p>
      <dl className="facts">
        <dt>{t.totpSecret}</dt>
        <dd>
          <code data-testid="totp-secret">{created.totp.secret}</code>
        </dd>
        <dt>{t.totpUri}</dt>
        <dd>
          <code data-testid="totp-uri" className="break">
            {created.totp.uri}
          </code>
        </dd>
      </dl>
      <button type="button" onClick={onDismiss}>
        {t.dismiss}
      </button>
    </section>
  );
}

function CreateOperatorForm({ onCreated }: { onCreated: (created: CreatedOperatorView) => void }) {
  const { api, t } = useConsole();
  const id = useId();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<OperatorRole>("analyst");
  const [password, setPassword] = useState("");
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: CreateOperatorBody = {
      email: email.trim(),
      name: name.trim(),
      role,
      password,
    };
    setIsBusy(true);
    setError(null);
    const result = await api.post<CreatedOperatorView>("/v1/console/operators", body);
    setIsBusy(false);
    if (!result.ok) {
      setError(result);
      return;
    }
    onCreated(result.value);
    setEmail("");
    setName("");
    setPassword("");
    setRole("analyst");
  };

  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t.createOperator}</h2>
      <form data-testid="operator-form" onSubmit={(event) => void submit(event)}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-email`}>{t.email}</label>
            <input
              id={`${id}-email`}
              type="email"
              required
              maxLength={254}
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-name`}>{t.name}</label>
            <input
              id={`${id}-name`}
              required
              maxLength={100}
              autoComplete="off"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>{t.role}</label>
            <select
              id={`${id}-role`}
              value={role}
              onChange={(event) => {
                const next = operatorRoleValues.find((value) => value === event.target.value);
                if (next !== undefined) {
                  setRole(next);
                }
              }}
            >
              {operatorRoleValues.map((value) => (
                <option key={value} value={value}>
                  {t.roles[value]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>{t.password}</label>
            <input
              id={`${id}-password`}
              type="password"
              required
              minLength={12}
              maxLength={256}
              autoComplete="new-password"
              aria-describedby={`${id}-password-hint`}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
            <p id={`${id}-password-hint`} className="muted hint">
              {t.passwordHint}
            </p>
          </div>
        </div>
        {error === null ? null : <ErrorNotice error={error} />}
        <button type="submit" disabled={isBusy}>
          {isBusy ? t.saving : t.create}
        </button>
      </form>
    </section>
  );
}
