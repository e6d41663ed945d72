import { StringDecoder } from "node:string_decoder";

export type SourceLine = {
  /** 1-based. */
  line: number;
  text: string;
  /** The line ran past the bound; `text` holds only its start, and the caller reports it. */
  isTooLong: boolean;
};

/**
 * Splits a byte stream into lines without holding more than one line: a line beyond `lengthMax`
 * characters keeps only its start, so a file with no newlines cannot exhaust memory. Accepts
 * "\n" and "\r\n" endings, decodes UTF-8 across chunk boundaries and drops a leading BOM.
 */
export async function* readLines(
  chunks: AsyncIterable<Buffer>,
  lengthMax: number,
): AsyncGenerator<SourceLine> {
  const decoder = new StringDecoder("utf8");
  let partial = "";
  let isTooLong = false;
  let line = 0;
  const finish = (text: string): SourceLine => {
    line += 1;
    const withoutReturn = text.endsWith("\r") ? text.slice(0, -1) : text;
    const withoutBom =
      line === 1 && withoutReturn.startsWith("\uFEFF") ? withoutReturn.slice(1) : withoutReturn;
    const result = { line, text: withoutBom, isTooLong };
    isTooLong = false;
    return result;
  };
  const append = (text: string): void => {
    if (isTooLong) {
      return;
    }
    partial += text;
    if (partial.length > lengthMax) {
      partial = partial.slice(0, lengthMax);
      isTooLong = true;
    }
  };
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      append(text.slice(start, newline));
      yield finish(partial);
      partial = "";
      start = newline + 1;
    }
    append(text.slice(start));
  }
  append(decoder.end());
  if (partial !== "" || isTooLong) {
    yield finish(partial);
  }
}
