"use client";
// First run: the admin's account → POST /api/v1/auth/setup, which also signs them in.
import { useState, type FormEvent } from "react";
import { trySend } from "@/lib/client/api";
import { FormError, TextField, buttonClass } from "./text-field";

export function SetupForm({ minPasswordLength }: { minPasswordLength: number }) {
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      email: String(form.get("email")),
      name: String(form.get("name")),
      password: String(form.get("password")),
      passwordConfirm: String(form.get("passwordConfirm")),
    };
    if (body.password !== body.passwordConfirm) {
      setFields({ passwordConfirm: "The two passwords differ." });
      setError("Please correct the marked fields.");
      return;
    }
    setBusy(true);
    setError(null);
    setFields({});
    const result = await trySend("/api/v1/auth/setup", "POST", body);
    if (result.ok) {
      // A full load, not router.push: the header (root layout) must re-render signed in.
      window.location.replace("/");
      return;
    }
    setBusy(false);
    setFields(result.failure.fields);
    setError(Object.keys(result.failure.fields).length > 0 ? "Please correct the marked fields." : result.failure.message);
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <TextField label="Email" name="email" type="email" autoComplete="email" required autoFocus error={fields.email} />
      <TextField label="Name" name="name" type="text" autoComplete="name" required maxLength={100} error={fields.name} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={`At least ${minPasswordLength} characters. A passphrase of a few words works well.`}
        error={fields.password}
      />
      <TextField label="Password, again" name="passwordConfirm" type="password" autoComplete="new-password" required error={fields.passwordConfirm} />
      <FormError message={error} />
      <button type="submit" className={`${buttonClass} w-full`} disabled={busy} aria-busy={busy}>
        {busy ? "Creating the admin account…" : "Create admin account"}
      </button>
    </form>
  );
}
