import type { Metadata } from "next";
import { PasswordChangeForm } from "@/components/auth/password-change-form";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { MIN_PASSWORD_LENGTH } from "@/lib/contract/auth";
import { requireUser } from "@/lib/auth/current-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser("/settings/account");
  return (
    <div className="max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Your account</h1>
      <dl className="grid grid-cols-[8rem_1fr] gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900">
        <dt className="text-slate-500 dark:text-slate-400">Email</dt>
        <dd>{user.email}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Name</dt>
        <dd>{user.name ?? "—"}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Role</dt>
        <dd className="capitalize">{user.role}</dd>
      </dl>
      <PasswordChangeForm minPasswordLength={MIN_PASSWORD_LENGTH} />
      <section aria-labelledby="sessions-heading" className="space-y-2">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          Sessions
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Signed in on a computer you no longer use, or lost a device? End every session of your account, this one included.
        </p>
        <SignOutButton everywhere />
      </section>
    </div>
  );
}
