"use client";
// "Jump to a site or device": a combobox over GET /api/v1/search. Arrow keys move, Enter
// opens, Escape closes.
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { useSearch } from "@/components/hooks/queries/use-search";

const hrefOf = (item: { type: "site" | "device"; id: string }) => (item.type === "site" ? `/sites/${item.id}` : `/devices/${encodeURIComponent(item.id)}`);

export function FleetSearch() {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState("");
  const [debounced, setDebounced] = useState("");
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 150);
    return () => clearTimeout(t);
  }, [text]);
  const search = useSearch(debounced);
  const items = debounced.trim() ? (search.data?.items ?? []) : [];
  const go = (item: (typeof items)[number]) => {
    setOpen(false);
    router.push(hrefOf(item));
  };
  const expanded = open && text.trim().length > 0;
  return (
    <div className="relative max-w-xl">
      <label htmlFor={`${id}-input`} className="sr-only">
        Jump to a site or device
      </label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={expanded && items[active] ? `${id}-opt-${active}` : undefined}
        placeholder="Jump to a site or device…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, items.length - 1));
          else if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
          else if (e.key === "Enter" && items[active]) go(items[active]);
          else if (e.key === "Escape") setOpen(false);
          else return;
          e.preventDefault();
        }}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 dark:border-slate-700 dark:bg-slate-900"
      />
      {expanded && (
        <ul id={`${id}-list`} role="listbox" aria-label="Matching sites and devices" className="absolute z-20 mt-1 w-full overflow-hidden rounded-md border border-slate-200 bg-white text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
          {items.length === 0 && (
            <li role="option" aria-selected={false} aria-disabled className="px-3 py-2 text-slate-500">
              {search.isFetching || debounced !== text ? "Searching…" : `Nothing matches “${text.trim()}”`}
            </li>
          )}
          {items.map((item, i) => (
            <li
              key={`${item.type}:${item.id}`}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                go(item);
              }}
              onMouseEnter={() => setActive(i)}
              className={`flex cursor-pointer justify-between gap-2 px-3 py-2 ${i === active ? "bg-sky-50 dark:bg-sky-950" : ""}`}
            >
              <span className="truncate">{item.label}</span>
              <span className="shrink-0 text-xs text-slate-500">{item.type === "site" ? "site" : `device${item.site ? ` · ${item.site}` : ""}`}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
