import { describe, expect, it } from "vitest";
import { binned, DigestBuilder, digestRows, sessionContributions, survivedBin, survivedValue, type DigestRow } from "../../../lib/analysis/digest";
import type { SessionRecord } from "../../../lib/analysis/types";
import { DAY, NOW, Rng, session } from "./builders";

const REASONS = ["reset", "timeout", "error", "unknown", "server_closed", "client_closed", "superseded", "inferred"] as const;

/** A random version of a session: open or ended, any reason, idle times known or not. */
function version(rng: Rng, device: string, id: string): SessionRecord {
  const start = NOW - rng.uniform(0, 7 * DAY);
  const open = rng.chance(0.15);
  const durationS = rng.uniform(5, 40_000);
  return session({
    device,
    session: id,
    site: rng.chance(0.8) ? rng.pick(["hamburg", "bremen"]) : null,
    publicIp: rng.chance(0.5) ? rng.pick(["203.0.113.7", "198.51.100.2"]) : null,
    start,
    end: open ? null : start + durationS * 1000,
    durationS: open ? null : durationS,
    endReason: open ? null : rng.pick([...REASONS]),
    idleS: rng.chance(0.7) ? rng.uniform(1, durationS) : null,
    maxIdleS: rng.chance(0.7) ? rng.uniform(1, 900) : null,
  });
}

const canonical = (rows: readonly DigestRow[]) => rows.map((r) => JSON.stringify(r)).sort();

describe("the analysis digest", () => {
  it("is the same whatever order changes arrive in, replayed or late (a sum of per-session keys)", () => {
    for (let round = 0; round < 20; round++) {
      const rng = new Rng(900 + round);
      // Each session goes through a few versions (a disconnect arrives, a late event moves its
      // end, a replay rewrites it unchanged, a purge deletes it); the journal holds every step.
      const journal: Array<{ before: SessionRecord | null; after: SessionRecord | null }> = [];
      const finals: SessionRecord[] = [];
      for (let i = 0; i < 60; i++) {
        const device = `d${i % 7}`;
        let current: SessionRecord | null = null;
        for (let step = rng.int(1, 4); step > 0; step--) {
          const next: SessionRecord | null = rng.chance(0.1) ? null : rng.chance(0.2) && current ? current : version(rng, device, `s${i}`);
          journal.push({ before: current, after: next });
          current = next;
        }
        if (current) finals.push(current);
      }
      const shuffled = journal
        .map((step) => ({ step, key: rng.next() }))
        .sort((a, b) => a.key - b.key)
        .map(({ step }) => step);
      const builder = new DigestBuilder();
      for (const { before, after } of shuffled) {
        if (before) builder.fold(before, -1);
        if (after) builder.fold(after, 1);
      }
      expect(canonical(builder.result())).toEqual(canonical(digestRows(finals)));
    }
  });

  it("counts an ended session once in each of its keys, and an open one nowhere", () => {
    const ended = session({ device: "d", site: "hamburg", end: NOW, durationS: 900, endReason: "reset", idleS: 300, maxIdleS: 120 });
    const kinds = sessionContributions(ended).map((c) => c.kind).sort();
    expect(kinds).toEqual(["age", "ageDevice", "ageMoment", "clock", "ended", "idle", "idleDevice", "idleMoment", "survived"]);
    expect(sessionContributions({ ...ended, end: null, endReason: null })).toEqual([]);
  });

  it("keeps values to 0.2 % and survived gaps to the second", () => {
    for (const x of [20, 61.3, 299.7, 900, 3600, 86_400]) expect(Math.abs(binned(x) - x) / x).toBeLessThan(0.001);
    for (const x of [0.4, 59.6, 349.94, 999.2]) expect(Math.abs(survivedValue(survivedBin(x)) - x)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(survivedValue(survivedBin(5460)) - 5460) / 5460).toBeLessThan(0.0005);
  });
});
