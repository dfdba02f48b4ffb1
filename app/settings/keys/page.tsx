import type { Metadata } from "next";
import { KeyAdmin } from "@/components/admin/key-admin";
import { requireUser } from "@/lib/auth/current-user";
import { keyView, listKeys } from "@/lib/auth/key-admin";
import { canManageKeys } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { siteNames } from "@/lib/queries/site-names";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const user = await requireUser("/settings/keys");
  if (!canManageKeys(user)) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">Only admins manage API keys. Ask an admin for a key or for a different role.</p>
      </div>
    );
  }
  const db = getDb();
  const [keys, sites] = await Promise.all([listKeys(db), siteNames(db)]);
  // Active keys first, newest first; revoked ones after them.
  const rows = keys.map(keyView).sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Ingest keys let devices and the probe send events; read keys let automation read the API. A key for one site sees and sends only that site.
        </p>
      </div>
      <KeyAdmin keys={rows} sites={sites} />
    </div>
  );
}
