import { mutationRoute } from "@/lib/api/mutation-route";
import { keyView, listKeys, revokeKey } from "@/lib/auth/key-admin";
import { canManageKeys } from "@/lib/auth/permissions";
import { notFound } from "@/lib/api/response";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ prefix: string }> }): Promise<Response> {
  const { prefix } = await context.params;
  return mutationRoute(request, { allowed: canManageKeys, action: "manage keys" }, async ({ db }) => {
    await revokeKey(db, prefix);
    const key = (await listKeys(db)).find((k) => k.prefix === prefix);
    return key ? keyView(key) : notFound(`No key with prefix ${prefix}.`);
  });
}
