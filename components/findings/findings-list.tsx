"use client";
// The triage list: newest first, one row per finding; the open one is highlighted. Rows are
// links (shareable, open in a new tab) that open the finding in place.
import { SeverityBadge, StatusText } from "@/components/ui/badges";
import type { FindingItem } from "@/lib/contract/read";
import { ago } from "@/lib/client/format";
import { KIND_LABELS } from "./kind-labels";

export function FindingsList({ items, openId, onOpen, hrefFor }: { items: FindingItem[]; openId: number | null; onOpen: (id: number) => void; hrefFor: (id: number) => string }) {
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Findings">
      {items.map((f) => {
        const href = hrefFor(f.id);
        const current = f.id === openId;
        return (
          <li key={f.id}>
            <a
              href={href}
              aria-current={current ? "true" : undefined}
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                e.preventDefault();
                onOpen(f.id);
              }}
              className={`block px-3 py-2.5 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600 ${
                current ? "bg-sky-50 dark:bg-sky-950/60" : "hover:bg-slate-50 dark:hover:bg-slate-800/50"
              }`}
            >
              <span className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                <SeverityBadge severity={f.severity} />
                <span>{KIND_LABELS[f.kind]}</span>
                {f.site && <span>· {f.site}</span>}
                <StatusText status={f.status} />
                <span className="ml-auto">{ago(f.lastSeen)}</span>
              </span>
              <span className="mt-0.5 block text-sm font-medium">{f.title}</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}
