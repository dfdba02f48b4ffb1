"use client";
// The admin's user list: change a role, disable or re-enable an account, add one. Each
// change is one PATCH/POST; the server page re-reads the list afterwards (router.refresh).
import { AdminSection } from "@/components/admin/admin-section";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useFormSubmit } from "@/components/admin/use-form-submit";
import { useRowAction } from "@/components/admin/use-row-action";
import { trySend } from "@/lib/client/api";
import { FormError, TextField, buttonClass, inputClass, secondaryButtonClass } from "./text-field";

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
  const { status, setStatus, error, pending, run, refresh } = useRowAction<number>();
  const change = (user: UserRow, patch: Partial<{ role: RoleName; disabled: boolean }>, done: string) =>
    run(user.id, () => trySend(`/api/v1/users/${user.id}`, "PATCH", patch), done, (message) => `${user.email}: ${message}`);

  return (
    <div className="space-y-8">
      <AdminSection id="users" title="Accounts" caption="Linkscope accounts, their roles and status" columns={["Email", "Name", "Role", "Status"]} empty={null} error={error} status={status}>
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
                      {!self && (
                        <span className="ml-2 inline-block">
                          <ConfirmButton
                            label={`Remove ${user.email}`}
                            question={`Remove ${user.email}? The account and its sessions end now; their share links stay.`}
                            confirmLabel="Yes, remove"
                            busy={busy}
                            onConfirm={() => run(user.id, () => trySend(`/api/v1/users/${user.id}`, "DELETE"), `${user.email} is removed.`, (m) => `${user.email}: ${m}`)}
                          />
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
      </AdminSection>
      <NewUserForm
        minPasswordLength={minPasswordLength}
        onCreated={(email) => {
          setStatus(`${email} can now sign in.`);
          refresh();
        }}
      />
    </div>
  );
}

function NewUserForm({ minPasswordLength, onCreated }: { minPasswordLength: number; onCreated: (email: string) => void }) {
  const { error, fields, busy, onSubmit } = useFormSubmit(
    (form) =>
      trySend<{ email: string }>("/api/v1/users", "POST", {
        email: String(form.get("email")),
        name: String(form.get("name")),
        role: String(form.get("role")),
        password: String(form.get("password")),
      }),
    (created) => onCreated(created.email),
    (failure) => (failure.status === 409 ? "An account with this email exists already." : failure.message),
  );

  return (
    <section aria-labelledby="new-user-heading" className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="new-user-heading" className="text-lg font-semibold">
        Add an account
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">Tell the person their initial password over another channel.</p>
      <form onSubmit={onSubmit} className="mt-4 grid gap-4 sm:grid-cols-2">
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
