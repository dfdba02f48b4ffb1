"use client";
// A destructive action in two steps: the button asks, the second button does it. Focus
// moves to the confirmation so a keyboard user lands on it, and back on cancel.
import { useEffect, useRef, useState } from "react";
import { secondaryButtonClass } from "@/components/auth/text-field";

const dangerClass =
  "inline-flex items-center justify-center rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-500 disabled:opacity-60";

export function ConfirmButton({ label, question, confirmLabel, busy, onConfirm }: { label: string; question: string; confirmLabel: string; busy: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirm.current?.focus();
    else if (wasAsking.current) start.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button ref={start} type="button" className={secondaryButtonClass} aria-label={label} onClick={() => setAsking(true)} disabled={busy}>
        Revoke
      </button>
    );
  }
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center justify-end gap-2">
      <span className="text-xs text-slate-600 dark:text-slate-300">{question}</span>
      <button ref={confirm} type="button" className={dangerClass} disabled={busy} aria-busy={busy} onClick={onConfirm}>
        {busy ? "Revoking…" : confirmLabel}
      </button>
      <button type="button" className={secondaryButtonClass} onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </button>
    </span>
  );
}
