"use client";
// The admin's user list: change a role, disable or re-enable an account, add one. Each
// change is one PATCH/POST; the server page re-reads the list afterwards (router.refresh).
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { sendJson } from "./send-json";
import { FormError, TextField, buttonClass, inputClass, secondaryButtonClass } from "./text-field";
import { AdminTableHead } from "@/components/admin/admin-table-head";

export type RoleName = "admin" | "operator" | "viewer";
const ROLE_OPTIONS: { value: RoleName; label: string }[] = [
  { value: "viewer", label: "Viewer (read only)" },
  { value: "operator", label: "Operator (acknowledge, share)" },
  { value: "admin", label: "Admin (users, keys, settings)" },
];

export interface UserRow {
  id: number;
  email: string;
  name: string | null;
  role: RoleName;
  createdAt: string;
  disabledAt: string | null;
}

export function UserAdmin({ users, currentUserId, minPasswordLength }: { users: UserRow[]; currentUserId: number; minPasswordLength: number }) {
  const router = useRouter();
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<number | null>(null);

  async function change(user: UserRow, patch: Partial<{ role: RoleName; disabled: boolean }>, done: string) {
    setPending(user.id);
    setError(null);
    setStatus("");
    const result = await sendJson(`/api/v1/users/${user.id}`, "PATCH", patch);
    setPending(null);
    if (!result.ok) {
      setError(`${user.email}: ${result.failure.message}`);
      router.refresh();
      return;
    }
    setStatus(done);
    router.refresh();
  }

  return (
    <div className="space-y-8">
      <section aria-labelledby="users-heading" className="space-y-3">
        <h2 id="users-heading" className="text-lg font-semibold">
          Accounts
        </h2>
        <FormError message={error} />
        <p role="status" aria-live="polite" className="text-sm text-slate-600 dark:text-slate-300">
          {status}
        </p>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Linkscope accounts, their roles and status</caption>
            <AdminTableHead columns={["Email", "Name", "Role", "Status"]} />
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {users.map((user) => {
                const self = user.id === currentUserId;
                const busy = pending === user.id;
                return (
                  <tr key={user.id} className={user.disabledAt ? "text-slate-400 dark:text-slate-500" : undefined}>
                    <th scope="row" className="px-4 py-2 font-medium">
                      {user.email}
                      {self && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                    </th>
                    <td className="px-4 py-2">{user.name ?? "—"}</td>
                    <td className="px-4 py-2">
                      <label className="sr-only" htmlFor={`role-${user.id}`}>
                        Role of {user.email}
                      </label>
                      <select
                        id={`role-${user.id}`}
                        className={`${inputClass} mt-0 w-auto py-1`}
                        value={user.role}
                        disabled={busy}
                        onChange={(e) => change(user, { role: e.target.value as RoleName }, `${user.email} is now ${e.target.value}.`)}
                      >
                        {ROLE_OPTIONS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="px-4 py-2">{user.disabledAt ? "Disabled" : "Active"}</td>
                    <td className="px-4 py-2 text-right">
                      <button
                        type="button"
                        className={secondaryButtonClass}
                        disabled={busy}
                        aria-label={`${user.disabledAt ? "Enable" : "Disable"} ${user.email}`}
                        onClick={() =>
                          change(user, { disabled: !user.disabledAt }, `${user.email} is ${user.disabledAt ? "enabled" : "disabled and signed out"}.`)
                        }
                      >
                        {user.disabledAt ? "Enable" : "Disable"}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <NewUserForm minPasswordLength={minPasswordLength} onCreated={(email) => { setStatus(`${email} can now sign in.`); router.refresh(); }} />
    </div>
  );
}

function NewUserForm({ minPasswordLength, onCreated }: { minPasswordLength: number; onCreated: (email: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const body = { email: String(form.get("email")), name: String(form.get("name")), role: String(form.get("role")), password: String(form.get("password")) };
    setBusy(true);
    setError(null);
    setFields({});
    const result = await sendJson<{ email: string }>("/api/v1/users", "POST", body);
    setBusy(false);
    if (result.ok) {
      formElement.reset();
      onCreated(result.data.email);
      return;
    }
    setFields(result.failure.fields);
    setError(result.failure.status === 409 ? "An account with this email exists already." : result.failure.message);
  }

  return (
    <section aria-labelledby="new-user-heading" className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="new-user-heading" className="text-lg font-semibold">
        Add an account
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">Tell the person their initial password over another channel.</p>
      <form onSubmit={submit} className="mt-4 grid gap-4 sm:grid-cols-2">
        <TextField label="Email" name="email" type="email" autoComplete="off" required error={fields.email} />
        <TextField label="Name" name="name" type="text" autoComplete="off" maxLength={100} error={fields.name} />
        <div>
          <label htmlFor="new-user-role" className="block text-sm font-medium">
            Role
          </label>
          <select id="new-user-role" name="role" defaultValue="viewer" className={inputClass}>
            {ROLE_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={minPasswordLength}
          hint={`At least ${minPasswordLength} characters.`}
          error={fields.password}
        />
        <div className="sm:col-span-2 space-y-3">
          <FormError message={error} />
          <button type="submit" className={buttonClass} disabled={busy} aria-busy={busy}>
            {busy ? "Adding…" : "Add account"}
          </button>
        </div>
      </form>
    </section>
  );
}
