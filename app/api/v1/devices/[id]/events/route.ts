import { deviceEventsQuery } from "@/lib/contract/dashboard";
import { readResource } from "@/lib/api/resource-route";
import { deviceEvents } from "@/lib/queries/device-events";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return readResource(request, deviceEventsQuery, (db, query) => deviceEvents(db, id, query), `No device "${id}".`);
}
