/**
 * URL shorteners: a short link hides where it leads, which is why phishing SMS use them (rb.gy,
 * t.ly, cutt.ly in the SMBC alerts of 2023). The list is PeterDaveHello/url-shorteners, shipped in
 * `apps/server/data/url-shorteners/` under CC-BY-SA-4.0 with its attribution (SOURCE.md).
 *
 * Only the active `list` is flagged. `inactive` mixes shorteners that no longer resolve with
 * domains that were reported by mistake and are ordinary sites; flagging those would call real
 * sites suspicious. A dead shortener's domain re-registered by a fraudster is still not ours, so
 * it is reported as an unknown domain anyway.
 */
import { readFileSync } from "node:fs";

const listUrl = new URL("../../data/url-shorteners/list", import.meta.url);

let shorteners: ReadonlySet<string> | null = null;

/** The list is read on first use, once: a few kilobytes, read before any request needs it. */
function loadShorteners(): ReadonlySet<string> {
  if (shorteners === null) {
    shorteners = parseShortenerList(readFileSync(listUrl, "utf8"));
  }
  return shorteners;
}

/** One host name a line; "#" starts a comment line. */
export function parseShortenerList(text: string): ReadonlySet<string> {
  const hosts = new Set<string>();
  for (const line of text.split("\n")) {
    const host = line.trim().toLowerCase();
    if (host !== "" && !host.startsWith("#")) {
      hosts.add(host);
    }
  }
  return hosts;
}

/**
 * Whether a host is a URL shortener or one of its subdomains ("www.bit.ly", "xyz.page.link").
 * Entries may have several labels ("go.nasa.gov"), so every parent of the host is looked up,
 * not only its registrable domain. Takes a lowercase ASCII host name.
 */
export function isShortener(host: string): boolean {
  const list = loadShorteners();
  let rest = host.toLowerCase().replace(/\.$/, "");
  while (rest.includes(".")) {
    if (list.has(rest)) {
      return true;
    }
    rest = rest.slice(rest.indexOf(".") + 1);
  }
  return false;
}
