import { readRoute } from "@/lib/api/read-route";
import { sessionsQuery } from "@/lib/contract/read";
import { listSessions } from "@/lib/queries/sessions";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => readRoute(request, sessionsQuery, (db, query) => listSessions(db, query));
