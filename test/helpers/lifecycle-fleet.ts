// Generated device histories that exercise every row of the session state table:
// clean disconnects, silent heartbeat stops, supersedes, late and early disconnects,
// lost connects, repeated connects and open sessions.
import type { Rng } from "./random";

export type WireLike = Record<string, unknown> & { id: string; device: string; type: string; at: string };

export function lifecycleFleet(r: Rng, devices: number, now: number): WireLike[] {
  const events: WireLike[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let d = 0; d < devices; d++) {
    const device = `dev-${d}`;
    const site = `site-${d % 3}`;
    const declares = r.chance(0.7);
    const interval = r.pick([30, 60, 120]);
    let t = now - 2 * 86_400_000 + r.int(0, 3_600_000);
    let k = 0;
    const push = (e: Record<string, unknown> & { type: string }, at: number) =>
      events.push({ id: `${device}-${k++}`, device, site, at: iso(at), ...e });
    const sessions = r.int(2, 6);
    for (let s = 0; s < sessions; s++) {
      const session = `${device}-s${s}`;
      const start = t;
      const lostConnect = r.chance(0.08);
      if (!lostConnect) push({ type: "connect", session, endpoint: "tenant.example.com:443", transport: "long-polling" }, start);
      if (r.chance(0.1)) push({ type: "connect", session, endpoint: "tenant.example.com:443" }, start + 1000); // repeated connect, new id
      const beats = r.int(0, 20);
      let h = start;
      for (let b = 0; b < beats; b++) {
        h += interval * 1000 * (r.chance(0.1) ? r.pick([2.5, 4, 6]) : 1) + r.int(-500, 500);
        push({ type: "heartbeat", seq: b, ...(declares ? { intervalS: interval } : {}) }, h);
      }
      const ending = r.pick(["disconnect", "disconnect", "silent", "supersede", "late-disconnect", "early-disconnect"] as const);
      const end = h + r.int(1000, interval * 1000);
      const reason = r.pick(["reset", "timeout", "client_closed", "server_closed", "error", "unknown"]);
      if (ending === "disconnect" || ending === "late-disconnect" || ending === "early-disconnect" || lostConnect) {
        const at = ending === "late-disconnect" ? end + 3_600_000 : ending === "early-disconnect" ? start - 5000 : end;
        push({ type: "disconnect", session, reason, idleS: r.int(1, 900), maxIdleS: r.int(1, 900), durationS: (end - start) / 1000, errno: "ECONNRESET" }, at);
      }
      t = end + (ending === "silent" ? interval * 1000 * r.int(3, 10) : r.int(1000, 60_000));
    }
    if (r.chance(0.5)) {
      // an open session, still alive a minute ago
      const session = `${device}-open`;
      const start = now - 30 * 60_000;
      push({ type: "connect", session, endpoint: "tenant.example.com:443" }, start);
      for (let b = 1; b <= 5; b++) push({ type: "heartbeat", intervalS: 600 }, start + b * 5 * 60_000 - 60_000);
    }
  }
  return events;
}
