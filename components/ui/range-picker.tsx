"use client";
// Picks the page's time range: presets that slide with "now" (live), or a fixed UTC window
// whose link always shows the same data.
import { useState } from "react";
import { RANGE_PRESETS, rangeWindow, type RangeSpec } from "@/lib/client/time-range";

const toInput = (iso: string) => iso.slice(0, 16);
const fromInput = (value: string) => new Date(`${value}:00Z`).toISOString();

export function RangePicker({ value, onChange }: { value: RangeSpec; onChange: (next: RangeSpec) => void }) {
  const [custom, setCustom] = useState(false);
  const current = rangeWindow(value);
  const [from, setFrom] = useState(toInput(current.from));
  const [to, setTo] = useState(toInput(current.to));
  const valid = from !== "" && to !== "" && from < to;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Time range" className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
        {RANGE_PRESETS.map((p) => {
          const active = value.kind === "preset" && value.key === p.key;
          return (
            <button
              key={p.key}
              type="button"
              aria-pressed={active}
              title={`Show ${p.long}`}
              onClick={() => {
                setCustom(false);
                onChange({ kind: "preset", key: p.key });
              }}
              className={`px-2.5 py-1 text-sm focus-visible:relative focus-visible:outline-2 focus-visible:outline-sky-600 ${
                active ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "bg-white hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800"
              }`}
            >
              {p.label}
            </button>
          );
        })}
        <button
          type="button"
          aria-pressed={value.kind === "fixed"}
          aria-expanded={custom}
          onClick={() => setCustom((c) => !c)}
          className={`border-l border-slate-300 px-2.5 py-1 text-sm focus-visible:relative focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-700 ${
            value.kind === "fixed" ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "bg-white hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800"
          }`}
        >
          Custom
        </button>
      </div>
      {custom && (
        <form
          className="flex flex-wrap items-center gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) onChange({ kind: "fixed", from: fromInput(from), to: fromInput(to) });
          }}
        >
          <label className="flex items-center gap-1">
            From <span className="sr-only">(UTC)</span>
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900" />
          </label>
          <label className="flex items-center gap-1">
            to <span className="sr-only">(UTC)</span>
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900" />
          </label>
          <span className="text-slate-500">UTC</span>
          <button type="submit" disabled={!valid} className="rounded bg-sky-600 px-2.5 py-1 font-medium text-white hover:bg-sky-700 disabled:opacity-50">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
