/**
 * Routes live in the URL's hash (`#/cases/case_1`), so the server serves one file per app and a
 * reload or a shared link lands on the same page.
 */
import { useEffect, useState } from "react";

function readHash(): string[] {
  return window.location.hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter((part) => part !== "")
    .map(decodeURIComponent);
}

export function useHashRoute(): string[] {
  const [parts, setParts] = useState(readHash);
  useEffect(() => {
    const onChange = () => setParts(readHash());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return parts;
}

export function navigate(...parts: string[]): void {
  window.location.hash = `#/${parts.map(encodeURIComponent).join("/")}`;
}
