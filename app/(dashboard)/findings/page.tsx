import type { Metadata } from "next";
import { Suspense } from "react";
import { FindingsView } from "@/components/findings/findings-view";
import { requireUser } from "@/lib/auth/current-user";
import { canAcknowledgeFindings } from "@/lib/auth/permissions";
import { pagePath } from "@/lib/client/page-path";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Findings" };

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(pagePath("/findings", await searchParams));
  return (
    <Suspense>
      <FindingsView canAct={canAcknowledgeFindings(user)} />
    </Suspense>
  );
}
