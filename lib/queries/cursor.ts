// Opaque keyset cursors: the sort key of the last item served. Keyset (not offset)
// pagination never serves an item twice while ingest inserts rows.
export function encodeCursor(key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The decoded key, or null when the cursor is not one of ours (answered with 400). */
export function decodeCursor<T extends Array<string | number>>(cursor: string, shape: Array<"string" | "number">): T | null {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(key) || key.length !== shape.length) return null;
    return key.every((v, i) => typeof v === shape[i] && (typeof v !== "number" || Number.isFinite(v))) ? (key as T) : null;
  } catch {
    return null;
  }
}

export class InvalidCursorError extends Error {
  constructor() {
    super("cursor: is not a cursor this endpoint returned");
  }
}
