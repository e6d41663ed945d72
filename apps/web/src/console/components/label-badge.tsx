import type { LabelValue } from "@mimamori/contracts";
import { useConsole } from "../console-context.ts";

const labelIcons: Record<LabelValue, string> = { fraud: "✗", genuine: "✓" };

/**
 * A case's label as a badge. The case page's header badge is the test hook (`case-label`, whose
 * `data-label` is "none" until an analyst labels the case); badges in tables carry no hook.
 */
export function LabelBadge({
  label,
  isTestHook = false,
}: {
  label: LabelValue | null;
  isTestHook?: boolean;
}) {
  const { t } = useConsole();
  return (
    <span
      className={`badge badge-${label ?? "none"}`}
      data-testid={isTestHook ? "case-label" : undefined}
      data-label={label ?? "none"}
    >
      {label === null ? (
        t.notLabelled
      ) : (
        <>
          <span aria-hidden="true">{labelIcons[label]} </span>
          {t.labels[label]}
        </>
      )}
    </span>
  );
}
