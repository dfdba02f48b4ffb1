// Small labels with colour *and* text, so meaning never depends on colour alone.
import type { SiteHealth } from "@/lib/contract/dashboard";

const SEVERITY: Record<string, string> = {
  critical: "bg-rose-100 text-rose-800 ring-rose-600/30 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-400/40",
  warning: "bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/40",
  info: "bg-sky-100 text-sky-800 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/40",
};

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium capitalize ring-1 ring-inset ${SEVERITY[severity] ?? SEVERITY.info}`}>{severity}</span>;
}

const HEALTH: Record<SiteHealth, { label: string; dot: string }> = {
  critical: { label: "Critical", dot: "bg-rose-500" },
  warning: { label: "Warning", dot: "bg-amber-500" },
  ok: { label: "Healthy", dot: "bg-emerald-500" },
  quiet: { label: "No devices", dot: "bg-slate-400" },
};

export function HealthBadge({ health }: { health: SiteHealth }) {
  const h = HEALTH[health];
  return (
    <span className="inline-flex items-center gap-1.5 text-sm">
      <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${h.dot}`} />
      {h.label}
    </span>
  );
}

const STATUS: Record<string, string> = {
  open: "text-rose-700 dark:text-rose-300",
  acknowledged: "text-amber-700 dark:text-amber-300",
  resolved: "text-emerald-700 dark:text-emerald-300",
};

export function StatusText({ status }: { status: string }) {
  return <span className={`text-xs font-medium capitalize ${STATUS[status] ?? ""}`}>{status}</span>;
}

export function OnlineDot({ online }: { online: boolean }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span aria-hidden className={`h-2 w-2 rounded-full ${online ? "bg-emerald-500" : "bg-slate-400"}`} />
      {online ? "online" : "offline"}
    </span>
  );
}
