import { mutationRoute } from "@/lib/api/mutation-route";
import { outcomeAnswer } from "@/lib/api/response";
import { canMoveDevices } from "@/lib/auth/permissions";
import { deviceQuery, moveDeviceBody } from "@/lib/contract/dashboard";
import { moveDevice } from "@/lib/ingest/device-moves";
import { readResource } from "@/lib/api/resource-route";
import { deviceDetail } from "@/lib/queries/device-detail";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return readResource(request, deviceQuery, (db, query) => deviceDetail(db, id, query), `No device "${id}".`);
}

// Moves the device to another site (operators and admins); the move is recorded.
export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return mutationRoute(request, { allowed: canMoveDevices, action: "move devices between sites", body: moveDeviceBody }, async ({ db, body, principal }) =>
    outcomeAnswer(await moveDevice(db, id, body.site, { userId: principal.kind === "user" ? principal.userId : null })),
  );
}
