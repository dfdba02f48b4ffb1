// The dashboard's frame: header with navigation (by what the signed-in user may do) and the
// main column. Used by the dashboard, settings, login and setup layouts — not by shared reports.
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import type { ShellUser } from "@/lib/contract/auth";

const NAV = [
  { href: "/", label: "Fleet" },
  { href: "/findings", label: "Findings" },
  { href: "/api/v1/openapi.json", label: "API" },
];
const SHARE_NAV = [{ href: "/settings/share-links", label: "Share links" }];
const KEYS_NAV = [{ href: "/settings/keys", label: "Keys" }];
const ADMIN_NAV = [{ href: "/settings/users", label: "Users" }];

/** `user`: null on the login and setup pages; every other page is behind requireUser(). */
export function AppShell({ user, children }: { user: ShellUser | null; children: React.ReactNode }) {
  const nav = user ? [...NAV, ...(user.may.share ? SHARE_NAV : []), ...(user.may.manageKeys ? KEYS_NAV : []), ...(user.may.manageUsers ? ADMIN_NAV : [])] : [];
  return (
    <>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden className="inline-block h-3 w-3 rounded-full bg-sky-500 ring-4 ring-sky-500/20" />
            Linkscope
          </Link>
          <ul className="flex gap-4 text-sm text-slate-600 dark:text-slate-300">
            {nav.map((item) => (
              <li key={item.href}>
                <Link className="hover:text-slate-900 focus-visible:underline dark:hover:text-white" href={item.href}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
          {user && (
            <div className="ml-auto flex items-center gap-3 text-sm">
              <Link
                href="/settings/account"
                className="text-slate-600 hover:text-slate-900 focus-visible:underline dark:text-slate-300 dark:hover:text-white"
                title={`Signed in as ${user.email} (${user.role})`}
              >
                <span className="sr-only">Your account: </span>
                {user.name ?? user.email}
              </Link>
              <SignOutButton />
            </div>
          )}
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
