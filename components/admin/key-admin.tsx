"use client";
// The admin's keys: create one (shown once), list them by prefix with scope, site and last
// use, revoke one after a confirmation. The server page re-reads the list (router.refresh).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/components/auth/send-json";
import { FormError } from "@/components/auth/text-field";
import { tableClass, utcMinute } from "./admin-format";
import { AdminTableHead } from "./admin-table-head";
import { ConfirmButton } from "./confirm-button";
import { KeyCreateForm, type CreatedKey } from "./key-create-form";
import { ShownOnce } from "./shown-once";

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
  const router = useRouter();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  async function revoke(prefix: string) {
    setPending(prefix);
    setError(null);
    const result = await sendJson(`/api/v1/keys/${encodeURIComponent(prefix)}/revoke`, "POST");
    setPending(null);
    if (result.ok) setStatus(`Key ${prefix} is revoked: requests with it now get 401.`);
    else setError(`${prefix}: ${result.failure.message}`);
    router.refresh();
  }

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
          router.refresh();
        }}
      />
      <section aria-labelledby="keys-heading" className="space-y-3">
        <h2 id="keys-heading" className="text-lg font-semibold">
          Keys
        </h2>
        <FormError message={error} />
        <p role="status" aria-live="polite" className="text-sm text-slate-600 dark:text-slate-300">
          {status}
        </p>
        {keys.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">No keys yet.</p>
        ) : (
          <div className={tableClass}>
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">API keys by prefix, with scope, site, name, creation, last use and status</caption>
              <AdminTableHead columns={["Prefix", "Scope", "Site", "Name", "Created", "Last used", "Status"]} />
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
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
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
