/**
 * A wide table's horizontal scroller. It can take focus and is a named region, so a keyboard
 * user can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
import type { ReactNode } from "react";

export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="table-scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
