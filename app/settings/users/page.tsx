import type { Metadata } from "next";
import { UserAdmin } from "@/components/auth/user-admin";
import { requireUser } from "@/lib/auth/current-user";
import { MIN_PASSWORD_LENGTH } from "@/lib/contract/auth";
import { canManageUsers } from "@/lib/auth/permissions";
import { listUsers } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requireUser("/settings/users");
  if (!canManageUsers(user)) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">Only admins manage accounts. Ask an admin to change your role.</p>
      </div>
    );
  }
  const { items } = await listUsers(getDb());
  const rows = items.map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), disabledAt: u.disabledAt?.toISOString() ?? null }));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Admins manage users, keys and settings; operators also acknowledge findings and share reports; viewers read.
        </p>
      </div>
      <UserAdmin users={rows} currentUserId={user.userId} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </div>
  );
}
