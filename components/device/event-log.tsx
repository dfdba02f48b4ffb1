"use client";
// Everything the device reported, newest first, filtered by type (kept in the URL). Only the
// rows on screen are rendered, and older pages load as the list scrolls, so a device with
// a million events scrolls as smoothly as one with ten.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { useDeviceEvents } from "@/components/hooks/queries/use-device-events";
import { useUrlState } from "@/components/hooks/use-url-state";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Panel } from "@/components/ui/panel";
import { RowsSkeleton } from "@/components/ui/skeleton";
import type { DeviceEvent } from "@/lib/contract/dashboard";
import { longTime } from "@/lib/client/format";
import type { RangeSpec } from "@/lib/client/time-range";
import { eventSummary } from "./event-summary";

const TYPES = ["heartbeat", "connect", "disconnect", "connect_failed", "tls", "probe"] as const;
const TYPE_STYLE: Record<string, string> = {
  heartbeat: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  connect: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  disconnect: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  connect_failed: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200",
  tls: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200",
  probe: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
};
const ROW = 34;

export function EventLog({ id, range }: { id: string; range: RangeSpec }) {
  const { params, set } = useUrlState();
  const types = useMemo(() => (params.get("types") ?? "").split(",").filter((t) => (TYPES as readonly string[]).includes(t)), [params]);
  const events = useDeviceEvents(id, types, range);
  const rows = useMemo(() => events.data?.pages.flatMap((p) => p.items) ?? [], [events.data]);
  const compactedBefore = events.data?.pages[0]?.compactedBefore ?? null;
  const [selected, setSelected] = useState<DeviceEvent | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = virtual.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = events;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 20) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  const toggle = (t: string) => {
    const next = types.includes(t) ? types.filter((x) => x !== t) : [...types, t];
    set({ types: next.length ? next.join(",") : null }, "replace");
  };
  return (
    <Panel
      title="Event log"
      description={`${rows.length.toLocaleString("en-US")}${hasNextPage ? "+" : ""} events in range, newest first. Select one to see every field.`}
      actions={
        <fieldset className="flex flex-wrap items-center gap-1.5">
          <legend className="sr-only">Show only these event types</legend>
          <span aria-hidden className="text-xs text-slate-600 dark:text-slate-400">Only:</span>
          {TYPES.map((t) => (
            <label key={t} className={`flex cursor-pointer items-center gap-1 rounded px-1.5 py-0.5 text-xs ${types.includes(t) ? TYPE_STYLE[t] : "text-slate-600 dark:text-slate-400"} has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-600`}>
              <input type="checkbox" className="sr-only" checked={types.includes(t)} onChange={() => toggle(t)} />
              <span aria-hidden>{types.includes(t) ? "✓" : "+"}</span>
              {t}
            </label>
          ))}
        </fieldset>
      }
    >
      {compactedBefore && (
        <p role="note" className="mb-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          Raw events are kept for a limited time: this range reaches before {longTime(compactedBefore)}. Older events are purged once the connection
          open at that time has ended; their heartbeats stay on the timeline as hourly summaries, sessions and their counts longer.
        </p>
      )}
      {events.error && <ErrorPanel error={events.error} what="events" onRetry={() => void events.refetch()} />}
      {events.isPending ? (
        <RowsSkeleton rows={8} />
      ) : rows.length === 0 ? (
        <EmptyState title={types.length ? "No events of these types in this range." : "No events in this range."}>Pick other types or a longer range.</EmptyState>
      ) : (
        <div className="grid gap-3 xl:grid-cols-[1fr_22rem]">
          <div ref={scroller} className="h-[420px] overflow-auto rounded-md border border-slate-200 dark:border-slate-800" tabIndex={-1}>
            <div role="list" aria-label="Events" style={{ height: virtual.getTotalSize(), position: "relative" }}>
              {items.map((v) => {
                const e = rows[v.index];
                return (
                  <div key={v.key} role="listitem" style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}>
                    <button
                      type="button"
                      onClick={() => setSelected(e)}
                      aria-pressed={selected?.id === e.id && selected.at === e.at}
                      className={`flex h-full w-full items-center gap-2 border-b border-slate-100 px-2 text-left text-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600 dark:border-slate-800/60 dark:hover:bg-slate-800/50 ${selected?.id === e.id ? "bg-sky-50 dark:bg-sky-950/60" : ""}`}
                    >
                      <span className="w-36 shrink-0 tabular-nums text-slate-600 dark:text-slate-400">{e.at.slice(5, 19).replace("T", " ")}</span>
                      <span className={`w-24 shrink-0 rounded px-1.5 py-0.5 text-center ${TYPE_STYLE[e.type]}`}>{e.type}</span>
                      <span className="truncate">{eventSummary(e)}</span>
                    </button>
                  </div>
                );
              })}
            </div>
            {isFetchingNextPage && <p className="p-2 text-xs text-slate-500">Loading older events…</p>}
          </div>
          <div className="min-w-0 rounded-md border border-slate-200 p-3 text-xs dark:border-slate-800" aria-live="polite">
            {selected ? (
              <>
                <p className="font-medium">
                  {selected.type} · {longTime(selected.at)}
                </p>
                <p className="text-slate-600 dark:text-slate-400">
                  id {selected.id} · received {longTime(selected.receivedAt)}
                  {selected.skewed ? " · device clock ahead" : ""}
                </p>
                <pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 dark:bg-slate-800">{JSON.stringify({ session: selected.session, ...selected.data }, null, 2)}</pre>
              </>
            ) : (
              <p className="text-slate-600 dark:text-slate-400">Select an event to see every field it carried.</p>
            )}
          </div>
        </div>
      )}
    </Panel>
  );
}
