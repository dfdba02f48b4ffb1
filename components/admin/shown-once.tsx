"use client";
// A secret (an API key, a share link) shown once after it was created: a read-only field
// that selects itself on focus, a copy button, and the warning that it will not be shown again.
import { useId, useRef, useState } from "react";
import { inputClass, secondaryButtonClass } from "@/components/auth/text-field";

export function ShownOnce({ label, value, warning, onDismiss }: { label: string; value: string; warning: string; onDismiss: () => void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string>("");

  async function copy() {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setCopied("Copied to the clipboard.");
    } catch {
      // No clipboard access (an insecure origin, a denied permission): the text is selected for Ctrl+C.
      setCopied("Selected: press Ctrl+C (⌘C) to copy.");
    }
  }

  return (
    <div role="region" aria-labelledby={`${id}-label`} className="space-y-2 rounded-lg border-2 border-amber-400 bg-amber-50 p-4 dark:border-amber-600 dark:bg-amber-950/40">
      <label id={`${id}-label`} htmlFor={id} className="block text-sm font-semibold">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          ref={input}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={`${id}-warning`}
          className={`${inputClass} mt-0 font-mono`}
          data-testid="shown-once-value"
        />
        <button type="button" onClick={copy} className={secondaryButtonClass}>
          Copy
        </button>
      </div>
      <p id={`${id}-warning`} className="text-sm text-amber-900 dark:text-amber-200">
        {warning}
      </p>
      <div className="flex items-center justify-between gap-3">
        <p role="status" aria-live="polite" className="text-xs text-slate-600 dark:text-slate-300">
          {copied}
        </p>
        <button type="button" onClick={onDismiss} className={secondaryButtonClass}>
          Done, hide it
        </button>
      </div>
    </div>
  );
}
