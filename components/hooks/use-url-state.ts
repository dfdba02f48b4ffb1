"use client";
// Page state that belongs in the URL (time range, filters, the open finding): read with
// useSearchParams, written with the History API, which Next.js folds into its router — the
// URL is shareable and Back works, without a server round trip per click.
import { useSearchParams } from "next/navigation";
import { useCallback } from "react";

export type UrlChanges = Record<string, string | null | undefined>;

export function useUrlState() {
  const params = useSearchParams();
  const set = useCallback((changes: UrlChanges, mode: "push" | "replace" = "push") => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === "") next.delete(k);
      else next.set(k, v);
    }
    const qs = next.toString();
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}`;
    if (mode === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }, []);
  return { params, set };
}
