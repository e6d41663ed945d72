import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadReportDirectory, parseReportDirectory, reportDirectoryPaths } from "./report-directory.ts";

type Json = Record<string, unknown> & { places: Record<string, unknown>[] };

async function shipped(): Promise<Json> {
  return JSON.parse(await readFile(reportDirectoryPaths.japan, "utf8")) as Json;
}

describe("the report directory", () => {
  test("Japan's directory parses, with the places of seed 004 and each one sourced and dated", async () => {
    const result = await loadReportDirectory(reportDirectoryPaths.japan);
    assert.ok(result.ok, result.ok ? "" : result.message);
    const dials = result.value.places.flatMap((place) => (place.dial === null ? [] : [place.dial]));
    assert.deepEqual(dials, ["#9110", "110", "188", "0570-016811", "03-3214-5020"]);
    for (const place of result.value.places) {
      assert.match(place.provenance.source, /^seeds\/004/);
      assert.equal(place.hours, null, `${place.id}: the sources give no hours`);
    }
  });

  test("every problem is reported with its path: a duplicate id, a URL that is not https, an unreachable place, a bad date", async () => {
    const file = await shipped();
    file.places[1] = { ...file.places[1], id: "police-consultation" };
    file.places[3] = { ...file.places[3], url: "http://www.kokusen.go.jp/" };
    const { dial: _dial, url: _url, ...unreachable } = file.places[5] ?? {};
    file.places[5] = unreachable;
    file.places[6] = { ...file.places[6], provenance: { source: "seeds/004", checkedOn: "2025-02-29" } };
    file.places[7] = { ...file.places[7], situations: ["all"] };
    const result = parseReportDirectory(file);
    assert.equal(result.ok, false);
    const message = result.ok ? "" : result.message;
    for (const path of [
      "$.places[1].id:",
      "$.places[3].url:",
      "$.places[5]:",
      "$.places[6].provenance.checkedOn:",
      "$.places[7].situations[0]:",
    ]) {
      assert.ok(message.includes(path), `${path} is not named in:\n${message}`);
    }
    assert.equal(result.ok ? "" : result.code, "report_directory_invalid");
  });

  test("a missing file is unreadable; a file that is not JSON is invalid", async () => {
    const dir = await mkdtemp(join(tmpdir(), "report-directory-"));
    const missing = await loadReportDirectory(join(dir, "absent.json"));
    assert.equal(missing.ok ? "ok" : missing.code, "report_directory_unreadable");
    const path = join(dir, "broken.json");
    await writeFile(path, "[");
    const broken = await loadReportDirectory(path);
    assert.equal(broken.ok ? "ok" : broken.code, "report_directory_invalid");
  });
});
