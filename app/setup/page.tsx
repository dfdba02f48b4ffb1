import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { MIN_PASSWORD_LENGTH } from "@/lib/contract/auth";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up" };

// First run only: once any account exists, setup is closed and this page sends you to sign in.
export default async function SetupPage() {
  if (await ensureFirstAdmin(getDb())) redirect("/login");
  return (
    <AuthCard title="Set up Linkscope" intro="Create the first account. It becomes the admin: it adds the other accounts and manages keys and settings.">
      <SetupForm minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthCard>
  );
}
