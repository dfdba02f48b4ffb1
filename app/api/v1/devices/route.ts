import { readRoute } from "@/lib/api/read-route";
import { devicesQuery } from "@/lib/contract/read";
import { listDevices } from "@/lib/queries/devices";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => readRoute(request, devicesQuery, (db, query) => listDevices(db, query));
