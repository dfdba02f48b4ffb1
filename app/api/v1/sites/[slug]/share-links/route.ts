import { createShareLinkBody } from "@/lib/contract/admin";
import { mutationRoute } from "@/lib/api/mutation-route";
import { canShareReports } from "@/lib/auth/permissions";
import { notFound } from "@/lib/api/response";
import { createShareLink } from "@/lib/reports/share-links";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await context.params;
  return mutationRoute(request, { allowed: canShareReports, action: "share reports", body: createShareLinkBody }, async ({ db, body, principal }) => {
    const created = await createShareLink(db, {
      siteSlug: slug,
      createdById: principal.kind === "user" ? principal.userId : null,
      expiresInDays: body.expiresInDays,
      from: body.from ? new Date(body.from) : undefined,
      to: body.to ? new Date(body.to) : undefined,
      note: body.note,
    });
    if (!created) return notFound(`No site "${slug}".`);
    return Response.json({ ...created.link, token: created.token, url: `/r/${created.token}` }, { status: 201 });
  });
}
