"use client";
// Header button: POST /api/v1/auth/logout (or logout-all), then the login page.
import { useState } from "react";
import { trySend } from "@/lib/client/api";
import { FormError, secondaryButtonClass } from "./text-field";

export function SignOutButton({ everywhere = false, className }: { everywhere?: boolean; className?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOut() {
    setBusy(true);
    setError(null);
    const result = await trySend(everywhere ? "/api/v1/auth/logout-all" : "/api/v1/auth/logout", "POST");
    // A 401 means the session had ended already: signed out either way.
    if (result.ok || result.failure.status === 401) {
      // A full load drops the client router cache, which holds pages rendered for this user.
      window.location.replace("/login");
      return;
    }
    setBusy(false);
    setError(result.failure.message);
  }

  return (
    <>
      <button type="button" onClick={signOut} disabled={busy} aria-busy={busy} className={className ?? secondaryButtonClass}>
        {busy ? "Signing out…" : everywhere ? "Sign out everywhere" : "Sign out"}
      </button>
      {everywhere ? <FormError message={error} /> : error && <span role="alert" className="sr-only">{error}</span>}
    </>
  );
}
