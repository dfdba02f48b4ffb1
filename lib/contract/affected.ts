// Which devices a finding is about, whatever its kind: a plain function (no zod), so the
// dashboard's client components can use it.
import type { KindEvidence } from "./evidence";

/** The devices a finding names (a capped list) and how many it affects in all. */
export function affectedDevices(f: KindEvidence): { names: string[]; count: number } {
  const e: { affectedDevices?: string[]; affectedDeviceCount?: number } = f.evidence;
  const names = e.affectedDevices ?? [];
  return { names, count: Math.max(e.affectedDeviceCount ?? 0, names.length) };
}
