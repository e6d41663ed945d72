/**
 * Loading and failure shown the same way on every page. A failure always shows the server's
 * code beside the words, so an operator can quote it to support.
 */
import type { ReactNode } from "react";
import { type ApiFailure, useConsole } from "../console-context.ts";
import type { Resource } from "../use-resource.ts";

export function LoadingNotice() {
  const { t } = useConsole();
  return (
    <p className="notice" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {t.loading}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: ApiFailure; onRetry?: () => void }) {
  const { t } = useConsole();
  const known: Record<string, string> = t.errors;
  const text = known[error.code] ?? error.message;
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <span aria-hidden="true">⚠ </span>
        {text}{" "}
        <span className="muted">
          ({t.errorCode}: <code>{error.code}</code>
          {error.status > 0 ? `, HTTP ${error.status}` : ""})
        </span>
      </p>
      {onRetry === undefined ? null : (
        <button type="button" className="secondary" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}

/** Renders a resource's loading or error state, or its value through `children`. */
export function ResourceView<T>({
  resource,
  onRetry,
  children,
}: {
  resource: Resource<T>;
  onRetry: () => void;
  children: (value: T) => ReactNode;
}) {
  if (resource.state === "loading") {
    return <LoadingNotice />;
  }
  if (resource.state === "error") {
    return <ErrorNotice error={resource.error} onRetry={onRetry} />;
  }
  return <>{children(resource.value)}</>;
}
