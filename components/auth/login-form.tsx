"use client";
// Email and password → POST /api/v1/auth/login (sets the session cookie) → the page the
// user wanted. A full navigation, so the header re-renders signed in.
import { useState, type FormEvent } from "react";
import { trySend } from "@/lib/client/api";
import { FormError, TextField, buttonClass } from "./text-field";

function throttledMessage(retryAfterS: number | undefined): string {
  const minutes = Math.max(1, Math.ceil((retryAfterS ?? 60) / 60));
  return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await trySend("/api/v1/auth/login", "POST", { email: String(form.get("email")), password: String(form.get("password")) });
    if (result.ok) {
      // A full load, not router.push: the header (root layout) must re-render signed in.
      window.location.replace(next);
      return;
    }
    setBusy(false);
    const { failure } = result;
    setError(failure.status === 429 ? throttledMessage(failure.retryAfterS) : failure.status === 401 ? "Wrong email or password." : failure.message);
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <TextField label="Email" name="email" type="email" autoComplete="username" required autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      <FormError message={error} />
      <button type="submit" className={`${buttonClass} w-full`} disabled={busy} aria-busy={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
