// The time range every page keeps in its URL: a preset ending now (?range=7d), which live
// refresh keeps sliding, or a fixed window (?from=...&to=...) for a link that shows exactly
// what its sender saw. Pure: the server pages and the client share it.
export const RANGE_PRESETS = [
  { key: "1h", label: "1 h", long: "the last hour", ms: 3_600_000 },
  { key: "6h", label: "6 h", long: "the last 6 hours", ms: 6 * 3_600_000 },
  { key: "24h", label: "24 h", long: "the last 24 hours", ms: 24 * 3_600_000 },
  { key: "7d", label: "7 d", long: "the last 7 days", ms: 7 * 86_400_000 },
  { key: "30d", label: "30 d", long: "the last 30 days", ms: 30 * 86_400_000 },
] as const;

export type PresetKey = (typeof RANGE_PRESETS)[number]["key"];
export type RangeSpec = { kind: "preset"; key: PresetKey } | { kind: "fixed"; from: string; to: string };

type ParamSource = { get(name: string): string | null };

const isPreset = (v: string | null): v is PresetKey => RANGE_PRESETS.some((p) => p.key === v);
const validTime = (v: string | null): v is string => v !== null && !Number.isNaN(Date.parse(v));

export function parseRange(params: ParamSource, fallback: PresetKey): RangeSpec {
  const from = params.get("from");
  const to = params.get("to");
  if (validTime(from) && validTime(to) && Date.parse(from) < Date.parse(to)) {
    return { kind: "fixed", from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  }
  const key = params.get("range");
  return { kind: "preset", key: isPreset(key) ? key : fallback };
}

/** The API's from/to for this range, computed at fetch time so a preset slides with "now". */
export function rangeWindow(spec: RangeSpec, now = Date.now()): { from: string; to: string } {
  if (spec.kind === "fixed") return { from: spec.from, to: spec.to };
  const preset = RANGE_PRESETS.find((p) => p.key === spec.key)!;
  return { from: new Date(now - preset.ms).toISOString(), to: new Date(now).toISOString() };
}

/** Stable across refreshes: part of query keys. */
export function rangeKey(spec: RangeSpec): string {
  return spec.kind === "preset" ? spec.key : `${spec.from}/${spec.to}`;
}

/** URL parameters that say this range (null removes a parameter). */
export function rangeParams(spec: RangeSpec): Record<string, string | null> {
  return spec.kind === "preset" ? { range: spec.key, from: null, to: null } : { range: null, from: spec.from, to: spec.to };
}

export function describeRange(spec: RangeSpec): string {
  if (spec.kind === "preset") return RANGE_PRESETS.find((p) => p.key === spec.key)!.long;
  const fmt = (iso: string) => iso.slice(0, 16).replace("T", " ");
  return `${fmt(spec.from)} – ${fmt(spec.to)} UTC`;
}
