"use client";
// Says whether what is on screen is live: refreshed every 10 s while the tab is visible,
// paused while it is hidden.
import { useEffect, useState } from "react";
import { LIVE_REFRESH_MS } from "@/components/providers/query-provider";

export function LiveStatus({ updatedAt, fetching }: { updatedAt: number; fetching: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const onVisibility = () => setHidden(document.visibilityState === "hidden");
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(tick);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, []);
  const age = updatedAt ? Math.max(0, Math.round((now - updatedAt) / 1000)) : null;
  return (
    <p className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400" title={`Refreshes every ${LIVE_REFRESH_MS / 1000} s while this tab is visible`}>
      <span aria-hidden className={`h-2 w-2 rounded-full ${hidden ? "bg-slate-400" : fetching ? "animate-pulse bg-sky-500" : "bg-emerald-500"}`} />
      {hidden ? "Paused while hidden" : age === null ? "Loading…" : `Live · updated ${age < 2 ? "just now" : `${age} s ago`}`}
    </p>
  );
}
