import { readRoute } from "@/lib/api/read-route";
import { sitesQuery } from "@/lib/contract/read";
import { listSites } from "@/lib/queries/sites";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => readRoute(request, sitesQuery, (db, query) => listSites(db, query));
