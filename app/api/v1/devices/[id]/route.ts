import { deviceQuery } from "@/lib/contract/dashboard";
import { readResource } from "@/lib/api/resource-route";
import { deviceDetail } from "@/lib/queries/device-detail";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return readResource(request, deviceQuery, (db, query) => deviceDetail(db, id, query), `No device "${id}".`);
}
