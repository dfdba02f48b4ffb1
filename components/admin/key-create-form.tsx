"use client";
// Create an API key: ingest (devices, probes send events) or read (automation reads the
// API), for the whole fleet or one site. The answer carries the full key, shown once.
import { trySend } from "@/lib/client/api";
import { FormError, TextField, buttonClass, inputClass } from "@/components/auth/text-field";
import { cardClass } from "./admin-format";
import { useFormSubmit } from "./use-form-submit";

export interface CreatedKey {
  key: string;
  prefix: string;
  scope: string;
  site: string | null;
}

const SCOPES = [
  { value: "ingest", label: "Ingest", hint: "Devices and the probe send events with it." },
  { value: "read", label: "Read", hint: "Scripts and automation read the API with it." },
] as const;

export function KeyCreateForm({ sites, onCreated }: { sites: Array<{ slug: string; name: string }>; onCreated: (key: CreatedKey) => void }) {
  const { error, fields, busy, onSubmit } = useFormSubmit((form) => {
    const site = String(form.get("site") ?? "").trim();
    const name = String(form.get("name") ?? "").trim();
    return trySend<CreatedKey>("/api/v1/keys", "POST", { scope: String(form.get("scope")), ...(site ? { site } : {}), ...(name ? { name } : {}) });
  }, onCreated);

  return (
    <section aria-labelledby="new-key-heading" className={cardClass}>
      <h2 id="new-key-heading" className="text-lg font-semibold">
        Create a key
      </h2>
      <form onSubmit={onSubmit} className="mt-4 grid gap-4 sm:grid-cols-2">
        <fieldset className="sm:col-span-2">
          <legend className="text-sm font-medium">Scope</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {SCOPES.map((s, i) => (
              <label key={s.value} className="flex items-start gap-2 text-sm">
                <input type="radio" name="scope" value={s.value} defaultChecked={i === 0} className="mt-1 accent-sky-600" />
                <span>
                  <span className="font-medium">{s.label}</span>
                  <span className="block text-xs text-slate-500 dark:text-slate-400">{s.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor="new-key-site" className="block text-sm font-medium">
            Site
          </label>
          <input
            id="new-key-site"
            name="site"
            list="new-key-sites"
            placeholder="All sites"
            pattern="[a-z0-9\-]{1,64}"
            autoComplete="off"
            aria-describedby="new-key-site-hint"
            aria-invalid={fields.site ? true : undefined}
            className={inputClass}
          />
          <datalist id="new-key-sites">
            {sites.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </datalist>
          <p id="new-key-site-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Empty: the whole fleet. A site&apos;s key sees and sends only that site (lowercase letters, digits, dashes; a new name creates the site).
          </p>
          {fields.site && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{fields.site}</p>}
        </div>
        <TextField label="Name (optional)" name="name" maxLength={100} autoComplete="off" hint="What uses it, e.g. “Hamburg gateways”." error={fields.name} />
        <div className="space-y-3 sm:col-span-2">
          <FormError message={error} />
          <button type="submit" className={buttonClass} disabled={busy} aria-busy={busy}>
            {busy ? "Creating…" : "Create key"}
          </button>
        </div>
      </form>
    </section>
  );
}
