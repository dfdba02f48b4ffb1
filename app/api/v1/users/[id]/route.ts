import { updateUserBody } from "@/lib/contract/auth";
import { mutationRoute } from "@/lib/api/mutation-route";
import { canManageUsers } from "@/lib/auth/permissions";
import { removeUser, updateUser } from "@/lib/auth/users";
import { badRequest, conflict, notFound, ok } from "@/lib/api/response";

export const dynamic = "force-dynamic";

// Role, name, password, disabled. Disabling or a new password signs that user out everywhere.
export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const userId = /^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : null;
  return mutationRoute(request, { allowed: canManageUsers, action: "manage users", body: updateUserBody }, async ({ db, body }) => {
    if (userId === null) return badRequest("invalid_query", "id: not a user id");
    const result = await updateUser(db, userId, body);
    if (result.kind === "not_found") return notFound(`No user ${userId}.`);
    if (result.kind === "last_admin") return conflict("This is the last active admin: make another admin first.");
    return result.user;
  });
}

// Removes the account; its sessions end at once. Not oneself, not the last active admin.
export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const userId = /^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : null;
  return mutationRoute(request, { allowed: canManageUsers, action: "manage users" }, async ({ db, principal }) => {
    if (userId === null) return badRequest("invalid_query", "id: not a user id");
    const result = await removeUser(db, userId, principal.kind === "user" ? principal.userId : 0);
    if (result.kind === "not_found") return notFound(`No user ${userId}.`);
    if (result.kind === "last_admin") return conflict("This is the last active admin: make another admin first.");
    if (result.kind === "self") return conflict("You cannot remove your own account.");
    return ok({ removed: true });
  });
}
