"use client";
// A failed request, said plainly, with a way to try again.
import { ApiError } from "@/lib/client/api";

export function ErrorPanel({ error, onRetry, what = "this" }: { error: unknown; onRetry?: () => void; what?: string }) {
  const message = error instanceof ApiError || error instanceof Error ? error.message : "Something went wrong.";
  const status = error instanceof ApiError ? ` (${error.status} ${error.code})` : "";
  return (
    <div role="alert" className="rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-100">
      <p className="font-medium">Could not load {what}{status}.</p>
      <p className="mt-1">{message}</p>
      {onRetry && (
        <button
          type="button"
          onClick={onRetry}
          className="mt-2 rounded border border-rose-300 bg-white px-3 py-1 font-medium hover:bg-rose-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600 dark:border-rose-800 dark:bg-rose-950 dark:hover:bg-rose-900"
        >
          Retry
        </button>
      )}
    </div>
  );
}
