"use client";
// An operator's share links: create one (the URL is shown once), list the active ones,
// revoke one after a confirmation. The server page re-reads the list (router.refresh).
import { useState } from "react";
import { trySend } from "@/lib/client/api";
import { utcMinute } from "./admin-format";
import { AdminSection } from "./admin-section";
import { ConfirmButton } from "./confirm-button";
import { ShareLinkCreateForm, type CreatedLink } from "./share-link-create-form";
import { ShownOnce } from "./shown-once";
import { useRowAction } from "./use-row-action";

export interface ShareLinkRow {
  id: number;
  site: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  rangeFrom: string | null;
  rangeTo: string | null;
  note: string | null;
}

function period(l: ShareLinkRow): string {
  if (!l.rangeFrom && !l.rangeTo) return "Last 7 days when opened";
  return `${l.rangeFrom ? utcMinute(l.rangeFrom) : "7 days before"} – ${l.rangeTo ? utcMinute(l.rangeTo) : "when opened"}`;
}

export function ShareLinkAdmin({ links, sites, maxDays }: { links: ShareLinkRow[]; sites: Array<{ slug: string; name: string }>; maxDays: number }) {
  const [created, setCreated] = useState<(CreatedLink & { fullUrl: string }) | null>(null);
  const { status, setStatus, error, pending, run, refresh } = useRowAction<number>();
  async function revoke(link: ShareLinkRow) {
    await run(link.id, () => trySend(`/api/v1/share-links/${link.id}/revoke`, "POST"), `The link to ${link.site} is revoked: it now shows "expired or revoked".`);
    if (created?.id === link.id) setCreated(null);
  }

  return (
    <div className="space-y-8">
      {created && (
        <ShownOnce
          label={`Report link for ${created.site} (valid until ${utcMinute(created.expiresAt)})`}
          value={created.fullUrl}
          warning="Copy it now and send it to your contact. Linkscope stores only a hash of it: this is the only time the link is shown. Anyone who has it can open the report."
          onDismiss={() => setCreated(null)}
        />
      )}
      <ShareLinkCreateForm
        sites={sites}
        maxDays={maxDays}
        onCreated={(link) => {
          setCreated({ ...link, fullUrl: `${window.location.origin}${link.url}` });
          setStatus("");
          refresh();
        }}
      />
      <AdminSection
        id="links"
        title="Active links"
        caption="Active share links: site, period, note, creator, creation, expiry and last opening"
        columns={["Site", "Period", "Note", "Created by", "Created", "Expires", "Last opened"]}
        empty={links.length === 0 ? "No active links." : null}
        error={error}
        status={status}
      >
                {links.map((l) => (
                  <tr key={l.id}>
                    <th scope="row" className="px-4 py-2 font-medium">
                      {l.site}
                    </th>
                    <td className="px-4 py-2 text-xs">{period(l)}</td>
                    <td className="px-4 py-2">{l.note ?? "—"}</td>
                    <td className="px-4 py-2">{l.createdBy ?? "—"}</td>
                    <td className="px-4 py-2 tabular-nums">{utcMinute(l.createdAt)}</td>
                    <td className="px-4 py-2 tabular-nums">{utcMinute(l.expiresAt)}</td>
                    <td className="px-4 py-2 tabular-nums">{utcMinute(l.lastUsedAt, "Never")}</td>
                    <td className="px-4 py-2 text-right">
                      <ConfirmButton
                        label={`Revoke the link to ${l.site}${l.note ? ` (${l.note})` : ""}`}
                        question="Revoke it? The report stops opening at once."
                        confirmLabel="Yes, revoke"
                        busy={pending === l.id}
                        onConfirm={() => revoke(l)}
                      />
                    </td>
                  </tr>
                ))}
      </AdminSection>
    </div>
  );
}
