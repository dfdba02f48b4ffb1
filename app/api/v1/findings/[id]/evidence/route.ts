import { findingEvidenceQuery } from "@/lib/contract/dashboard";
import { numericId, readResource } from "@/lib/api/resource-route";
import { findingEvidence } from "@/lib/queries/finding-evidence";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const findingId = numericId(id);
  return readResource(request, findingEvidenceQuery, async (db, query) => (findingId === null ? null : findingEvidence(db, findingId, query)), `No finding ${id}.`);
}
