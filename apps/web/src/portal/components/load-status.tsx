/**
 * The two states every loaded section shares: a polite "loading" line, and a failure that names
 * the server's code and offers to try again, so a page is never left blank.
 */
import type { ReactNode } from "react";
import { errorTextOf } from "../messages.ts";
import { usePortal } from "../portal-context.ts";
import type { Failure, Loaded } from "../use-load.ts";

export function LoadingMessage() {
  const { text } = usePortal();
  return (
    <p className="muted" role="status">
      {text.loading}
    </p>
  );
}

export function FailureMessage({ failure, onRetry }: { failure: Failure; onRetry?: () => void }) {
  const { text } = usePortal();
  return (
    <div className="failure" role="alert">
      <p className="error">{errorTextOf(text, failure)}</p>
      {onRetry === undefined ? null : (
        <button type="button" className="secondary" onClick={onRetry}>
          {text.retry}
        </button>
      )}
    </div>
  );
}

export function LoadStatus<T>({
  loaded,
  onRetry,
  children,
}: {
  loaded: Loaded<T>;
  onRetry: () => void;
  children: (value: T) => ReactNode;
}) {
  switch (loaded.kind) {
    case "loading":
      return <LoadingMessage />;
    case "failed":
      return <FailureMessage failure={loaded.failure} onRetry={onRetry} />;
    case "ready":
      return children(loaded.value);
  }
}
