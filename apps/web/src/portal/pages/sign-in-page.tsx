/**
 * Sign-in with three factors in one form: e-mail, password and the authenticator's code. The
 * server answers one code for any wrong factor (sign_in_failed), so the message cannot say which.
 */
import { Fragment, useState } from "react";
import { errorTextOf } from "../messages.ts";
import { portal, portalApi } from "../portal-api.ts";
import { usePortal } from "../portal-context.ts";
import type { Failure } from "../use-load.ts";

type Problem =
  | { kind: "email" }
  | { kind: "password" }
  | { kind: "code" }
  | { kind: "server"; failure: Failure };

export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const { text } = usePortal();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [isSending, setSending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const signIn = async () => {
    // People copy codes as "123 456"; the digits are what counts.
    const digits = code.replace(/\s/g, "");
    const found = problemOf(email.trim(), password, digits);
    setProblem(found);
    if (found !== null) {
      return;
    }
    setSending(true);
    const result = await portal.signIn({ email: email.trim(), password, code: digits });
    setSending(false);
    if (!result.ok) {
      setProblem({ kind: "server", failure: result });
      setCode("");
      return;
    }
    portalApi.setToken(result.value.token);
    onSignedIn();
  };

  const problemText =
    problem === null
      ? null
      : problem.kind === "email"
        ? text.signInMissingEmail
        : problem.kind === "password"
          ? text.signInMissingPassword
          : problem.kind === "code"
            ? text.signInBadCode
            : errorTextOf(text, problem.failure);
  const describedBy = (kind: Problem["kind"]) =>
    problem?.kind === kind || problem?.kind === "server" ? "signin-error" : undefined;
  // E-mail and password share their markup; the name, id and input type are all the field's kind.
  const textFields = [
    {
      kind: "email",
      label: text.emailLabel,
      autoComplete: "username",
      value: email,
      maxLength: 254,
      onChange: setEmail,
    },
    {
      kind: "password",
      label: text.passwordLabel,
      autoComplete: "current-password",
      value: password,
      maxLength: 256,
      onChange: setPassword,
    },
  ] as const;

  return (
    <section className="sign-in" aria-labelledby="signin-heading">
      <h2 id="signin-heading">{text.signInTitle}</h2>
      <p>{text.signInIntro}</p>
      <form
        data-testid="signin-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void signIn();
        }}
      >
        {textFields.map((field) => (
          <Fragment key={field.kind}>
            <label htmlFor={`signin-${field.kind}`}>{field.label}</label>
            <input
              id={`signin-${field.kind}`}
              name={field.kind}
              type={field.kind}
              autoComplete={field.autoComplete}
              value={field.value}
              maxLength={field.maxLength}
              aria-invalid={problem?.kind === field.kind}
              aria-describedby={describedBy(field.kind)}
              onChange={(event) => field.onChange(event.target.value)}
            />
          </Fragment>
        ))}
        <label htmlFor="signin-code">{text.totpLabel}</label>
        <p id="signin-code-hint" className="hint muted">
          {text.totpHint}
        </p>
        <input
          id="signin-code"
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={7}
          value={code}
          aria-invalid={problem?.kind === "code"}
          aria-describedby={["signin-code-hint", describedBy("code")].filter(Boolean).join(" ")}
          onChange={(event) => setCode(event.target.value)}
        />
        {problemText === null ? null : (
          <p
            id="signin-error"
            className="error"
            role="alert"
            data-code={problem?.kind === "server" ? problem.failure.code : problem?.kind}
          >
            {problemText}
          </p>
        )}
        <button type="submit" className="submit" disabled={isSending}>
          {isSending ? text.signingIn : text.signInButton}
        </button>
      </form>
      <p>
        <a href="#/help">{text.signInHelpLink}</a>
      </p>
    </section>
  );
}

/** The first thing to fix before asking the server, or null when the form is complete. */
function problemOf(email: string, password: string, code: string): Problem | null {
  if (email === "") {
    return { kind: "email" };
  }
  if (password === "") {
    return { kind: "password" };
  }
  if (!/^[0-9]{6}$/.test(code)) {
    return { kind: "code" };
  }
  return null;
}
