// The shared report's CSV downloads: the site's sessions and findings in the link's window,
// read page by page (keyset cursors) and streamed, so a busy site never sits in memory whole.
import type { FindingItem, SessionItem } from "@/lib/contract/read";
import type { Db } from "@/lib/db/client";
import { listFindings } from "@/lib/queries/findings";
import { listSessions } from "@/lib/queries/sessions";
import { csvStream, type CsvValue } from "./csv";
import { affected, reportWindow } from "./site-report";
import type { ResolvedShare } from "./share-links";

const PAGE = 1000;
/** A bound on one download; a site this busy is better read through the API. */
export const MAX_EXPORT_ROWS = 200_000;

export const SESSION_COLUMNS = ["device", "session", "start", "end", "durationS", "endReason", "idleS", "maxIdleS", "errno", "endpoint", "transport", "publicIp"] as const;
export const FINDING_COLUMNS = ["id", "kind", "severity", "status", "title", "summary", "recommendation", "firstSeen", "lastSeen", "device", "affectedDevices"] as const;

const sessionRow = (s: SessionItem): CsvValue[] => SESSION_COLUMNS.map((c) => s[c]);

async function* pages<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, row: (item: T) => CsvValue[]) {
  let cursor: string | undefined;
  let rows = 0;
  do {
    const page = await read(cursor);
    rows += page.items.length;
    yield page.items.map(row);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows < MAX_EXPORT_ROWS);
}

function fileName(share: ResolvedShare, what: string): string {
  const { from, to } = reportWindow(share);
  return `linkscope-${share.site.slug}-${what}-${from.slice(0, 10)}-to-${to.slice(0, 10)}.csv`;
}

export interface CsvExport {
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

/** Sessions that started in the window, newest first. */
export function sessionsCsv(db: Db, share: ResolvedShare): CsvExport {
  const window = reportWindow(share);
  const rows = pages((cursor) => listSessions(db, { site: share.site.slug, ...window, cursor, limit: PAGE }), sessionRow);
  return { fileName: fileName(share, "sessions"), body: csvStream(SESSION_COLUMNS, rows) };
}

/** Every finding (open, acknowledged or resolved) whose evidence reaches into the window. */
export async function findingsCsv(db: Db, share: ResolvedShare): Promise<CsvExport> {
  const window = reportWindow(share);
  const own = new Set(
    (await db.prisma.device.findMany({ where: { siteId: share.site.id }, select: { externalId: true } })).map((d) => d.externalId),
  );
  const row = (f: FindingItem): CsvValue[] => {
    const values: Record<(typeof FINDING_COLUMNS)[number], CsvValue> = {
      ...f,
      device: f.device !== null && own.has(f.device) ? f.device : null,
      affectedDevices: affected(f, own).affectedDevices.join(" "),
    };
    return FINDING_COLUMNS.map((c) => values[c]);
  };
  const rows = pages((cursor) => listFindings(db, { site: share.site.slug, status: "all", ...window, cursor, limit: PAGE }), row);
  return { fileName: fileName(share, "findings"), body: csvStream(FINDING_COLUMNS, rows) };
}
