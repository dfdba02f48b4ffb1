import { fleetOverviewQuery } from "@/lib/contract/dashboard";
import { readRoute } from "@/lib/api/read-route";
import { fleetOverview } from "@/lib/queries/fleet-overview";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => readRoute(request, fleetOverviewQuery, (db, query) => fleetOverview(db, query));
