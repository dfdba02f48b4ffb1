import { mutationRoute } from "@/lib/api/mutation-route";
import { outcomeAnswer } from "@/lib/api/response";
import { canAcknowledgeFindings } from "@/lib/auth/permissions";
import { actOnFinding } from "@/lib/findings/actions";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return mutationRoute(request, { allowed: canAcknowledgeFindings, action: "resolve findings" }, async ({ db }) => outcomeAnswer(await actOnFinding(db, id, "resolve")));
}
