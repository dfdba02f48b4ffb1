import { getDb } from "@/lib/db/client";
import { csvDownload, notFound } from "@/lib/api/response";
import { findingsCsv } from "@/lib/reports/exports";
import { EXPIRED_LINK_MESSAGE, openShare } from "@/lib/reports/share-access";

export const dynamic = "force-dynamic";

// A shared report's findings as CSV: the link's site and window only; no login, the token is the credential.
export async function GET(_request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> {
  const db = getDb();
  const share = await openShare(db, (await context.params).token);
  if (!share) return notFound(EXPIRED_LINK_MESSAGE);
  const csv = await findingsCsv(db, share);
  return csvDownload(csv.fileName, csv.body);
}
