import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { readLines, type SourceLine } from "./line-reader.ts";

async function collect(chunks: readonly Buffer[], lengthMax = 1_000): Promise<SourceLine[]> {
  const lines: SourceLine[] = [];
  async function* source(): AsyncGenerator<Buffer> {
    yield* chunks;
  }
  for await (const line of readLines(source(), lengthMax)) {
    lines.push(line);
  }
  return lines;
}

/** The same bytes cut at arbitrary points, as a file stream may deliver them. */
function cut(bytes: Buffer, points: readonly number[]): Buffer[] {
  const sorted = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of sorted) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe("readLines", () => {
  test("yields the same lines however the bytes are split, multi-byte characters included", async () => {
    const text = "一行目,¥500\r\nsecond line\n\nカード 🃏 last";
    const bytes = Buffer.from(text, "utf8");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(bytes.length), { maxLength: 12 }), async (points) => {
        const lines = await collect(cut(bytes, points));
        assert.deepEqual(
          lines.map((line) => line.text),
          ["一行目,¥500", "second line", "", "カード 🃏 last"],
        );
        assert.deepEqual(
          lines.map((line) => line.line),
          [1, 2, 3, 4],
        );
      }),
    );
  });

  test("drops a leading byte order mark", async () => {
    const lines = await collect([Buffer.from('\uFEFF{"a":1}\n', "utf8")]);
    assert.equal(lines[0]?.text, '{"a":1}');
  });

  test("keeps only the start of a line over the bound and flags it, then goes on with the next line", async () => {
    const lines = await collect(
      [Buffer.from("x".repeat(50)), Buffer.from("y".repeat(50)), Buffer.from("\nok\n")],
      20,
    );
    assert.deepEqual(lines, [
      { line: 1, text: "x".repeat(20), isTooLong: true },
      { line: 2, text: "ok", isTooLong: false },
    ]);
  });
});
