import { deviceTimelineQuery } from "@/lib/contract/dashboard";
import { readResource } from "@/lib/api/resource-route";
import { deviceTimeline } from "@/lib/queries/device-timeline";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return readResource(request, deviceTimelineQuery, (db, query) => deviceTimeline(db, id, query), `No device "${id}".`);
}
