import { createKeyBody, keysQuery } from "@/lib/contract/admin";
import { mutationRoute } from "@/lib/api/mutation-route";
import { readRoute } from "@/lib/api/read-route";
import { createKey, listKeys, keyView } from "@/lib/auth/key-admin";
import { canManageKeys } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

export const GET = (request: Request) =>
  readRoute(request, keysQuery, async (db) => ({ items: (await listKeys(db)).map(keyView), nextCursor: null }), {
    allowed: canManageKeys,
    action: "manage keys",
  });

export const POST = (request: Request) =>
  mutationRoute(request, { allowed: canManageKeys, action: "manage keys", body: createKeyBody }, async ({ db, body }) => {
    const { key, prefix } = await createKey(db, body);
    const created = (await listKeys(db)).find((k) => k.prefix === prefix)!;
    return Response.json({ ...keyView(created), key }, { status: 201 });
  });
