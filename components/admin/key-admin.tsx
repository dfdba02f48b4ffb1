"use client";
// The admin's keys: create one (shown once), list them by prefix with scope, site and last
// use, revoke one after a confirmation. The server page re-reads the list (router.refresh).
import { useState } from "react";
import { trySend } from "@/lib/client/api";
import { utcMinute } from "./admin-format";
import { AdminSection } from "./admin-section";
import { ConfirmButton } from "./confirm-button";
import { KeyCreateForm, type CreatedKey } from "./key-create-form";
import { ShownOnce } from "./shown-once";
import { useRowAction } from "./use-row-action";

export interface KeyRow {
  prefix: string;
  scope: string;
  site: string | null;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function KeyAdmin({ keys, sites }: { keys: KeyRow[]; sites: Array<{ slug: string; name: string }> }) {
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const { status, setStatus, error, pending, run, refresh } = useRowAction<string>();
  const revoke = (prefix: string) =>
    run(prefix, () => trySend(`/api/v1/keys/${encodeURIComponent(prefix)}/revoke`, "POST"), `Key ${prefix} is revoked: requests with it now get 401.`, (m) => `${prefix}: ${m}`);

  return (
    <div className="space-y-8">
      {created && (
        <ShownOnce
          label={`Your new ${created.scope} key${created.site ? ` for site ${created.site}` : " (all sites)"}`}
          value={created.key}
          warning="Copy it now and keep it somewhere safe (the device configuration, a secret store). Linkscope stores only a hash: this is the only time the key is shown."
          onDismiss={() => setCreated(null)}
        />
      )}
      <KeyCreateForm
        sites={sites}
        onCreated={(key) => {
          setCreated(key);
          setStatus("");
          refresh();
        }}
      />
      <AdminSection
        id="keys"
        title="Keys"
        caption="API keys by prefix, with scope, site, name, creation, last use and status"
        columns={["Prefix", "Scope", "Site", "Name", "Created", "Last used", "Status"]}
        empty={keys.length === 0 ? "No keys yet." : null}
        error={error}
        status={status}
      >
                {keys.map((k) => (
                  <tr key={k.prefix} className={k.revokedAt ? "text-slate-400 dark:text-slate-500" : undefined}>
                    <th scope="row" className="px-4 py-2 font-mono text-xs font-medium">
                      lsk_{k.prefix}_…
                    </th>
                    <td className="px-4 py-2 capitalize">{k.scope}</td>
                    <td className="px-4 py-2">{k.site ?? "All sites"}</td>
                    <td className="px-4 py-2">{k.name ?? "—"}</td>
                    <td className="px-4 py-2 tabular-nums">{utcMinute(k.createdAt)}</td>
                    <td className="px-4 py-2 tabular-nums">{utcMinute(k.lastUsedAt, "Never")}</td>
                    <td className="px-4 py-2">{k.revokedAt ? `Revoked ${utcMinute(k.revokedAt)}` : "Active"}</td>
                    <td className="px-4 py-2 text-right">
                      {!k.revokedAt && (
                        <ConfirmButton
                          label={`Revoke key ${k.prefix}`}
                          question={`Revoke ${k.prefix}? Whatever uses it stops working.`}
                          confirmLabel="Yes, revoke"
                          busy={pending === k.prefix}
                          onConfirm={() => revoke(k.prefix)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
      </AdminSection>
    </div>
  );
}
