/** E-mail, password and the six-digit code from the operator's authenticator app. */
import type { OperatorView } from "@mimamori/contracts";
import { type FormEvent, useId, useState } from "react";
import { ErrorNotice } from "../components/notice.tsx";
import { type ApiFailure, useConsole } from "../console-context.ts";
import type { SignInView } from "../types.ts";

export function SignInPage({
  hasExpired,
  onSignedIn,
}: {
  hasExpired: boolean;
  onSignedIn: (operator: OperatorView) => void;
}) {
  const { api, t } = useConsole();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);
  const id = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    const result = await api.post<SignInView>("/v1/console/sign-in", { email, password, code: code.trim() });
    setIsBusy(false);
    if (!result.ok) {
      setError(result);
      return;
    }
    // The token is kept before the operator is shown, so the first page's requests carry it.
    api.setToken(result.value.token);
    onSignedIn(result.value.operator);
  };

  return (
    <section className="sign-in" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t.signInTitle}</h1>
      {hasExpired && error === null ? (
        <p className="notice" role="status">
          {t.errors.unauthorized}
        </p>
      ) : null}
      <form data-testid="signin-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor={`${id}-email`}>{t.email}</label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor={`${id}-password`}>{t.password}</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <label htmlFor={`${id}-code`}>{t.code}</label>
        <input
          id={`${id}-code`}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          aria-describedby={`${id}-code-hint`}
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        <p id={`${id}-code-hint`} className="muted hint">
          {t.codeHint}
        </p>
        {error === null ? null : <ErrorNotice error={error} />}
        <button type="submit" disabled={isBusy}>
          {isBusy ? t.signingIn : t.signIn}
        </button>
      </form>
    </section>
  );
}
