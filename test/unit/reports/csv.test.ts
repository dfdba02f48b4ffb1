// CSV downloads: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.
import { describe, expect, test } from "vitest";
import { csvCell, csvRow, csvStream } from "@/lib/reports/csv";

describe("csvCell", () => {
  test.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r\nlf", '"cr\r\nlf"'],
    ["", ""],
  ])("quotes %j as RFC 4180 says", (value, cell) => expect(csvCell(value)).toBe(cell));

  test.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["=a,b", "\"'=a,b\""],
  ])("defuses a formula: %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  test("numbers, booleans and empty values", () => {
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(900.5)).toBe("900.5");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });
});

test("rows end in CRLF; a stream is the header, then each page's rows", async () => {
  expect(csvRow(["a", 1, null])).toBe("a,1,\r\n");
  async function* pages() {
    yield [["gw-1", "=1"]];
    yield [];
    yield [["gw-2", "x,y"]];
  }
  const text = await new Response(csvStream(["device", "note"], pages())).text();
  expect(text).toBe("device,note\r\ngw-1,'=1\r\ngw-2,\"x,y\"\r\n");
});
