// An operator's acknowledge / resolve, answered with the finding as the API lists it.
import type { Outcome } from "@/lib/contract/outcome";
import type { FindingItem } from "@/lib/contract/read";
import type { Db } from "@/lib/db/client";
import { listFindings } from "@/lib/queries/findings";
import { applyFindingAction, type FindingAction } from "./store";

export async function actOnFinding(db: Db, rawId: string, action: FindingAction): Promise<Outcome<FindingItem>> {
  const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : NaN;
  if (!Number.isInteger(id)) return { notFound: `No finding ${rawId}.` };
  const outcome = await applyFindingAction(db, id, action);
  if (outcome === "not_found") return { notFound: `No finding ${id}.` };
  if (outcome === "conflict") return { conflict: `Finding ${id} is resolved; only open findings can be acknowledged.` };
  const page = await listFindings(db, { status: "all", cursor: undefined, limit: 1, id });
  return { ok: page.items[0] };
}
