import { readRoute } from "@/lib/api/read-route";
import { findingsQuery } from "@/lib/contract/read";
import { listFindings } from "@/lib/queries/findings";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => readRoute(request, findingsQuery, (db, query) => listFindings(db, query));
