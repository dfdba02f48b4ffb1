"use client";
// Create a share link: one site's report for a customer, with an expiry and, optionally, a
// fixed period (else the last 7 days whenever it is opened) and a note for the list.
import { trySend } from "@/lib/client/api";
import { FormError, TextField, buttonClass, inputClass } from "@/components/auth/text-field";
import { cardClass } from "./admin-format";
import { useFormSubmit } from "./use-form-submit";

export interface CreatedLink {
  id: number;
  site: string;
  url: string;
  expiresAt: string;
}

/** A datetime-local value read as UTC (the form says so), as RFC 3339. */
function utcInstant(value: FormDataEntryValue | null): string | undefined {
  const text = String(value ?? "");
  return text ? new Date(`${text}${text.length === 16 ? ":00" : ""}Z`).toISOString() : undefined;
}

export function ShareLinkCreateForm({ sites, maxDays, onCreated }: { sites: Array<{ slug: string; name: string }>; maxDays: number; onCreated: (link: CreatedLink) => void }) {
  const { error, fields, busy, onSubmit } = useFormSubmit((form) => {
    const site = String(form.get("site"));
    const note = String(form.get("note") ?? "").trim();
    const from = utcInstant(form.get("from"));
    const to = utcInstant(form.get("to"));
    const body = { expiresInDays: Number(form.get("expiresInDays")), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(note ? { note } : {}) };
    return trySend<CreatedLink>(`/api/v1/sites/${encodeURIComponent(site)}/share-links`, "POST", body);
  }, onCreated);

  if (sites.length === 0) {
    return <p className={`${cardClass} text-sm`}>No site has sent data yet: a report can be shared once a site exists.</p>;
  }
  return (
    <section aria-labelledby="new-link-heading" className={cardClass}>
      <h2 id="new-link-heading" className="text-lg font-semibold">
        Share a site report
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        Anyone with the link sees this one site&apos;s report — findings, charts, devices, CSV downloads — without signing in, until it expires or you revoke it.
      </p>
      <form onSubmit={onSubmit} className="mt-4 grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="new-link-site" className="block text-sm font-medium">
            Site
          </label>
          <select id="new-link-site" name="site" required className={inputClass}>
            {sites.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name === s.slug ? s.slug : `${s.name} (${s.slug})`}
              </option>
            ))}
          </select>
        </div>
        <TextField label="Expires after (days)" name="expiresInDays" type="number" min={1} max={maxDays} defaultValue={14} required hint={`1 to ${maxDays} days.`} error={fields.expiresInDays} />
        <TextField label="Period from (UTC, optional)" name="from" type="datetime-local" hint="Empty: the 7 days before the period's end." error={fields.from} />
        <TextField label="Period to (UTC, optional)" name="to" type="datetime-local" hint="Empty: the moment the report is opened." error={fields.to} />
        <div className="sm:col-span-2">
          <TextField label="Note (optional, shown only in this list)" name="note" maxLength={200} autoComplete="off" hint="Whom it is for, e.g. “ACME IT, ticket 4711”." error={fields.note} />
        </div>
        <div className="space-y-3 sm:col-span-2">
          <FormError message={error} />
          <button type="submit" className={buttonClass} disabled={busy} aria-busy={busy}>
            {busy ? "Creating…" : "Create link"}
          </button>
        </div>
      </form>
    </section>
  );
}
