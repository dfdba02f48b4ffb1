import { mutationRoute } from "@/lib/api/mutation-route";
import { canShareReports } from "@/lib/auth/permissions";
import { notFound } from "@/lib/api/response";
import { revokeShareLink } from "@/lib/reports/share-links";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return mutationRoute(request, { allowed: canShareReports, action: "manage share links" }, async ({ db }) => {
    const link = /^\d{1,9}$/.test(id) ? await revokeShareLink(db, Number(id)) : null;
    return link ?? notFound(`No share link ${id}.`);
  });
}
