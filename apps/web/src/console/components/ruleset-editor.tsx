/**
 * The ruleset text editor: a plain textarea (so the browser's own editing, undo and
 * accessibility all work) beside a line-number gutter that marks each line with a problem, and a
 * diagnostics panel that quotes the line with a caret under the column. Lines never wrap, so
 * gutter line N is always textarea line N.
 */
import type { DiagnosticView } from "@mimamori/contracts";
import { type RefObject, useId, useRef } from "react";
import { useConsole } from "../console-context.ts";

/** Marks at most this many lines per diagnostic: a runaway span should not paint the whole gutter. */
const markedLinesPerDiagnosticMax = 20;

export function linesWithProblems(diagnostics: DiagnosticView[]): Set<number> {
  const lines = new Set<number>();
  for (const diagnostic of diagnostics) {
    const first = diagnostic.span.start.line;
    const last = Math.min(Math.max(diagnostic.span.end.line, first), first + markedLinesPerDiagnosticMax - 1);
    for (let line = first; line <= last; line += 1) {
      lines.add(line);
    }
  }
  return lines;
}

export function RulesetEditor({
  text,
  onChange,
  isReadOnly,
  diagnostics,
  textareaRef,
  describedBy,
}: {
  text: string;
  onChange: (text: string) => void;
  isReadOnly: boolean;
  diagnostics: DiagnosticView[];
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  describedBy: string;
}) {
  const { t } = useConsole();
  const id = useId();
  const gutterRef = useRef<HTMLDivElement>(null);
  const lineCount = text.split("\n").length;
  const problemLines = linesWithProblems(diagnostics);

  const syncGutter = () => {
    if (gutterRef.current !== null && textareaRef.current !== null) {
      gutterRef.current.scrollTop = textareaRef.current.scrollTop;
    }
  };

  return (
    <div className="editor-field">
      <label htmlFor={`${id}-text`}>{t.editorLabel}</label>
      <div className="editor">
        <div className="editor-gutter" ref={gutterRef} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, index) => {
            const line = index + 1;
            const hasProblem = problemLines.has(line);
            return (
              <div
                key={line}
                className={hasProblem ? "gutter-line gutter-line-problem" : "gutter-line"}
                data-testid={hasProblem ? "diagnostic-line" : undefined}
                data-line={line}
                title={hasProblem ? t.lineHasProblem : undefined}
              >
                {hasProblem ? <span className="gutter-mark">✕</span> : null}
                {line}
              </div>
            );
          })}
        </div>
        <textarea
          id={`${id}-text`}
          ref={textareaRef}
          className="editor-text"
          data-testid="rules-editor"
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          readOnly={isReadOnly}
          aria-describedby={describedBy}
          aria-invalid={diagnostics.length > 0}
          rows={Math.min(Math.max(lineCount + 1, 12), 24)}
          value={text}
          onChange={(event) => onChange(event.target.value)}
          onScroll={syncGutter}
        />
      </div>
    </div>
  );
}

/** A caret under the span, keeping tabs so it lines up under the quoted text. */
function caretUnder(lineText: string, diagnostic: DiagnosticView): string {
  const startIndex = Math.max(0, diagnostic.span.start.column - 1);
  const prefix = Array.from(lineText.slice(0, startIndex), (character) =>
    character === "\t" ? "\t" : " ",
  ).join("");
  const isOneLine = diagnostic.span.end.line === diagnostic.span.start.line;
  const width = isOneLine ? Math.max(1, diagnostic.span.end.column - diagnostic.span.start.column) : 1;
  return `${prefix}^${"~".repeat(width - 1)}`;
}

export function DiagnosticsPanel({
  id,
  status,
  diagnostics,
  checkedText,
  onShow,
}: {
  id: string;
  status: "idle" | "checking" | "checked";
  diagnostics: DiagnosticView[];
  checkedText: string;
  onShow: (diagnostic: DiagnosticView) => void;
}) {
  const { t } = useConsole();
  const lines = checkedText.split("\n");
  return (
    <div id={id} className="diagnostics" aria-live="polite">
      <p className={diagnostics.length > 0 ? "error" : "muted"}>
        {status === "checking" ? t.checking : null}
        {status === "checked" && diagnostics.length === 0 ? (
          <>
            <span aria-hidden="true">✓ </span>
            {t.noProblems}
          </>
        ) : null}
        {status !== "checking" && diagnostics.length > 0 ? (
          <>
            <span aria-hidden="true">✕ </span>
            {t.problemCount(diagnostics.length)}
          </>
        ) : null}
      </p>
      {diagnostics.length === 0 ? null : (
        <ol className="diagnostic-list">
          {diagnostics.map((diagnostic, index) => {
            const { line, column } = diagnostic.span.start;
            const lineText = lines[line - 1] ?? "";
            return (
              <li
                // biome-ignore lint/suspicious/noArrayIndexKey: two diagnostics may share a place and code
                key={index}
                data-testid="diagnostic"
                data-line={line}
                data-column={column}
                className="diagnostic"
              >
                <p>
                  {t.diagnosticAt(line, column, diagnostic.message)}{" "}
                  <code className="muted">{diagnostic.code}</code>
                </p>
                <pre className="diagnostic-quote">
                  <code>
                    <span className="quote-line-number" aria-hidden="true">
                      {String(line).padStart(4, " ")} |{" "}
                    </span>
                    {lineText}
                    {"\n"}
                    <span aria-hidden="true">
                      {"     | "}
                      <span className="caret">{caretUnder(lineText, diagnostic)}</span>
                    </span>
                  </code>
                </pre>
                <button type="button" className="secondary small" onClick={() => onShow(diagnostic)}>
                  {t.showInEditor}
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

/** Selects a diagnostic's span in the textarea and scrolls it into view. */
export function showInEditor(textarea: HTMLTextAreaElement, diagnostic: DiagnosticView): void {
  const lines = textarea.value.split("\n");
  const offsetOf = (line: number, column: number) => {
    let offset = 0;
    for (let index = 0; index < line - 1 && index < lines.length; index += 1) {
      offset += (lines[index]?.length ?? 0) + 1;
    }
    return Math.min(offset + Math.max(0, column - 1), textarea.value.length);
  };
  const start = offsetOf(diagnostic.span.start.line, diagnostic.span.start.column);
  const end = Math.max(start, offsetOf(diagnostic.span.end.line, diagnostic.span.end.column));
  textarea.focus();
  textarea.setSelectionRange(start, end === start ? start + 1 : end);
  const lineHeightPx = Number.parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (diagnostic.span.start.line - 3) * lineHeightPx);
}
