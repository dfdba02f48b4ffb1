// The page gate for server components. Every dashboard page calls requireUser(path) as its
// first await. A layout cannot do it: Next.js renders the page segment alongside the
// layout, so a layout's redirect still streams the page's content in the 307 body (tried),
// client navigation skips the layout, and a layout does not know the path for ?next=.
// Pages cannot set cookies, so the sliding expiry is written to the database here and the
// cookie itself is re-sent by the API routes (lib/api/*-route.ts).
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import type { ShellUser } from "@/lib/contract/auth";
import { canManageKeys, canManageUsers, canShareReports, type UserPrincipal } from "./permissions";
import { SESSION_COOKIE, validateSession } from "./user-sessions";
import { ensureFirstAdmin } from "./users";

/** The signed-in user of this request, or null; one database look-up per render. */
export const currentUser = cache(async (): Promise<UserPrincipal | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return (await validateSession(getDb(), token))?.user ?? null;
});

/**
 * The signed-in user, or a redirect: to /setup while no account exists (first run), else to
 * /login?next=<path>. Pass the page's own path (with its query) as `next`.
 */
export async function requireUser(next?: string): Promise<UserPrincipal> {
  const user = await currentUser();
  if (user) return user;
  if (!(await ensureFirstAdmin(getDb()))) redirect("/setup");
  redirect(next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login");
}

export async function shellUser(): Promise<ShellUser | null> {
  const user = await currentUser();
  if (!user) return null;
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    may: { share: canShareReports(user), manageKeys: canManageKeys(user), manageUsers: canManageUsers(user) },
  };
}
