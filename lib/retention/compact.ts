// Heartbeats beyond the raw-event window, as one row per device, site and UTC hour: what the
// device timeline and the heartbeat panels still need once the raw rows are gone.
import { sortedQuantile } from "@/lib/analysis/statistics";
import { eventData } from "@/lib/contract/stored-event";

export const HOUR_MS = 3_600_000;
export const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

export interface StoredHeartbeat {
  siteId: number | null;
  /** device time, ms */
  at: number;
  data: string;
}

export interface HeartbeatHourRow {
  siteId: number;
  hour: number;
  count: number;
  firstAt: number;
  lastAt: number;
  /** the longest silence between two heartbeats inside the hour, and where it began */
  maxGapS: number;
  maxGapAt: number;
  /** the interval the hour's last declaring heartbeat declared */
  intervalS: number | null;
  rttCount: number;
  rttP50Ms: number | null;
  rttP95Ms: number | null;
  rttMaxMs: number | null;
}

/** One device's heartbeats, in time order, compacted per site and hour. */
export function compactHeartbeats(beats: readonly StoredHeartbeat[]): HeartbeatHourRow[] {
  const groups = new Map<string, StoredHeartbeat[]>();
  for (const b of beats) {
    const key = `${b.siteId ?? 0}|${floorHour(b.at)}`;
    const group = groups.get(key);
    if (group) group.push(b);
    else groups.set(key, [b]);
  }
  return [...groups.values()].map((group) => {
    let maxGapS = 0;
    let maxGapAt = group[0].at;
    let intervalS: number | null = null;
    const rtts: number[] = [];
    group.forEach((b, i) => {
      const d = eventData("heartbeat", b.data);
      if (d.intervalS !== undefined) intervalS = d.intervalS;
      if (typeof d.rttMs === "number") rtts.push(d.rttMs);
      const gapS = i > 0 ? (b.at - group[i - 1].at) / 1000 : 0;
      if (gapS > maxGapS) [maxGapS, maxGapAt] = [gapS, group[i - 1].at];
    });
    const sorted = Float64Array.from(rtts).sort();
    return {
      siteId: group[0].siteId ?? 0,
      hour: floorHour(group[0].at),
      count: group.length,
      firstAt: group[0].at,
      lastAt: group[group.length - 1].at,
      maxGapS,
      maxGapAt,
      intervalS,
      rttCount: sorted.length,
      rttP50Ms: sorted.length ? sortedQuantile(sorted, 0.5) : null,
      rttP95Ms: sorted.length ? sortedQuantile(sorted, 0.95) : null,
      rttMaxMs: sorted.length ? sorted[sorted.length - 1] : null,
    };
  });
}
