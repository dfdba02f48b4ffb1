// CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, quote or line break is
// quoted, quotes doubled), made safe to open in a spreadsheet: a text cell starting with
// = + - @ (or a tab / carriage return, which some spreadsheets strip first) gets a leading
// apostrophe, so it is shown as text and never run as a formula (OWASP "CSV injection").
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  // Numbers are data, not text a spreadsheet could mistake for a formula: -3 stays -3.
  let text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** A streamed CSV: the header row, then the rows of each page as `pages` yields them. */
export function csvStream(header: readonly string[], pages: AsyncIterable<readonly CsvValue[][]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRow(header)));
        return;
      }
      const next = await iterator.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map(csvRow).join("")));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
