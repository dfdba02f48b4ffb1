"use client";
// Change your own password: the current one is required; every other session of the account
// ends (this browser stays signed in), and the answer says how many.
import { useState } from "react";
import { useFormSubmit } from "@/components/admin/use-form-submit";
import { trySend } from "@/lib/client/api";
import { FormError, TextField, buttonClass } from "./text-field";

export function PasswordChangeForm({ minPasswordLength }: { minPasswordLength: number }) {
  const [done, setDone] = useState<string | null>(null);
  const { error, fields, busy, onSubmit } = useFormSubmit(
    (form) => {
      setDone(null);
      return trySend<{ signedOutSessions: number }>("/api/v1/auth/password", "POST", {
        currentPassword: String(form.get("currentPassword")),
        newPassword: String(form.get("newPassword")),
      });
    },
    (answer) =>
      setDone(
        `Your password is changed.${answer.signedOutSessions ? ` ${answer.signedOutSessions} other session${answer.signedOutSessions === 1 ? " was" : "s were"} signed out.` : ""}`,
      ),
  );
  return (
    <section aria-labelledby="password-heading" className="space-y-3">
      <h2 id="password-heading" className="text-lg font-semibold">
        Password
      </h2>
      <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2">
        <TextField label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={fields.currentPassword} />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={minPasswordLength}
          hint={`At least ${minPasswordLength} characters. Your other sessions are signed out.`}
          error={fields.newPassword}
        />
        <div className="space-y-3 sm:col-span-2">
          <FormError message={error} />
          <p role="status" aria-live="polite" className="text-sm text-emerald-700 dark:text-emerald-400">
            {done}
          </p>
          <button type="submit" className={buttonClass} disabled={busy} aria-busy={busy}>
            {busy ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </section>
  );
}
