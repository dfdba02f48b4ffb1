import { createUserBody, usersQuery } from "@/lib/contract/auth";
import { mutationRoute } from "@/lib/api/mutation-route";
import { readRoute } from "@/lib/api/read-route";
import { canManageUsers } from "@/lib/auth/permissions";
import { createUser, listUsers } from "@/lib/auth/users";
import { ok } from "@/lib/api/response";

export const dynamic = "force-dynamic";

export const GET = (request: Request) =>
  readRoute(request, usersQuery, (db) => listUsers(db), { allowed: canManageUsers, action: "manage users" });

export const POST = (request: Request) =>
  mutationRoute(request, { allowed: canManageUsers, action: "manage users", body: createUserBody }, async ({ db, body }) =>
    ok(await createUser(db, body), { status: 201 }),
  );
