import { searchQuery } from "@/lib/contract/dashboard";
import { readRoute } from "@/lib/api/read-route";
import { searchFleet } from "@/lib/queries/search";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => readRoute(request, searchQuery, (db, query) => searchFleet(db, query));
