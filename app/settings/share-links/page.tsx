import type { Metadata } from "next";
import { ShareLinkAdmin } from "@/components/admin/share-link-admin";
import { requireUser } from "@/lib/auth/current-user";
import { canShareReports } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { siteNames } from "@/lib/queries/site-names";
import { MAX_SHARE_DAYS } from "@/lib/contract/admin";
import { listShareLinks } from "@/lib/reports/share-links";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Share links" };

export default async function ShareLinksPage() {
  const user = await requireUser("/settings/share-links");
  if (!canShareReports(user)) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Share links</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">Operators and admins share site reports. Ask an admin to change your role.</p>
      </div>
    );
  }
  const db = getDb();
  const [links, sites] = await Promise.all([listShareLinks(db, {}), siteNames(db)]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Share links</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Send a customer&apos;s IT team the evidence for one site: what was measured, what it means and the exact change to ask for.
        </p>
      </div>
      <ShareLinkAdmin links={links} sites={sites} maxDays={MAX_SHARE_DAYS} />
    </div>
  );
}
