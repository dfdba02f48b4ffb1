/**
 * One device's connections over time: long-polls whose idle gaps are the time between data
 * pushes capped at the server's hold; a middlebox that cuts gaps longer than its idle
 * timeout (with RST at the timeout, or silently so the device notices at its read
 * timeout); random drops; restarts; site interruptions (outages, scheduled cuts, platform
 * outages) during which reconnects fail; flapping; going dark (offline, ongoing outage).
 */
import type { ConnectFailedEvent, EndReason, SessionRecord } from "../../lib/analysis/types";
import type { Rng } from "./prng";
import type { IdleFault, Traffic } from "./siteSpec";

export interface Interruption {
  at: number;
  until: number;
  kind: "outage" | "platform" | "scheduled";
}

export interface DeviceRun {
  rng: Rng;
  device: string;
  site: string;
  publicIp: string;
  endpoint: string;
  from: number;
  now: number;
  /** first connect within this many seconds after `from` */
  startSpreadS: number;
  traffic: Traffic;
  idle: IdleFault | null;
  /** sorted by `at` */
  interruptions: Interruption[];
  lifetimeS: number | null;
  flapFrom: number | null;
  /** flapping stops here (Infinity: it goes on) */
  flapUntil: number;
  /** mean seconds between flaps */
  flapMeanS: number;
  /** the device goes dark here (offline, or a site outage still going on) */
  darkAt: number | null;
  heartbeatIntervalS: number | null;
}

export interface DeviceHistory {
  sessions: SessionRecord[];
  failures: ConnectFailedEvent[];
  /** last moment the device was heard of (heartbeats stop here when it goes dark) */
  lastAliveAt: number;
}

export function simulateDevice(run: DeviceRun): DeviceHistory {
  const { rng, traffic } = run;
  const sessions: SessionRecord[] = [];
  const failures: ConnectFailedEvent[] = [];
  const stopAt = Math.min(run.now, run.darkAt ?? Infinity);
  const noiseMeanMs = traffic.noisePerDay > 0 ? (86_400_000 / traffic.noisePerDay) : Infinity;
  const restartMeanMs = traffic.restartsPerDay > 0 ? 86_400_000 / traffic.restartsPerDay : Infinity;
  let cursor = 0;
  let t = run.from + rng.uniform(0, run.startSpreadS) * 1000;

  const record = (start: number, end: number | null, reason: EndReason | null, idleS: number | null, maxIdleS: number | null, errno: string | null) => {
    sessions.push({
      device: run.device,
      site: run.site,
      publicIp: run.publicIp,
      session: `${run.device}-${sessions.length + 1}`,
      start,
      end,
      durationS: end === null ? null : (end - start) / 1000,
      endReason: reason,
      idleS,
      maxIdleS,
      errno,
      endpoint: run.endpoint,
    });
  };

  while (t < stopAt) {
    while (cursor < run.interruptions.length && run.interruptions[cursor].until <= t) cursor++;
    const blocking = cursor < run.interruptions.length && run.interruptions[cursor].at <= t ? run.interruptions[cursor] : null;
    if (blocking) {
      failures.push(interruptedConnect(rng, run, t, blocking.kind));
      t += rng.uniform(20, 90) * 1000;
      if (t >= blocking.until) t = blocking.until + rng.uniform(1, 60) * 1000;
      continue;
    }
    const start = t;
    const lifeEnd = run.lifetimeS === null ? Infinity : start + run.lifetimeS * 1000 * (1 + rng.uniform(-0.0005, 0.0005));
    const nextCut = cursor < run.interruptions.length ? run.interruptions[cursor].at : Infinity;
    let cur = start + rng.uniform(0.2, 2) * 1000;
    let maxIdleS: number | null = null;
    let end: number | null = null;
    let reason: EndReason | null = null;
    let idleS: number | null = null;
    let errno: string | null = null;
    for (;;) {
      const gapS = Math.min(rng.exp(traffic.dataMeanS), traffic.holdS);
      const fatal = run.idle !== null && gapS >= run.idle.timeoutS;
      const cutAt = run.idle ? cur + run.idle.timeoutS * 1000 : Infinity;
      const limit = fatal ? cutAt : cur + gapS * 1000;
      const noiseAt = cur + rng.exp(1) * noiseMeanMs;
      const restartAt = cur + rng.exp(1) * restartMeanMs;
      const flapDraw = run.flapFrom === null ? Infinity : Math.max(cur, run.flapFrom) + rng.exp(run.flapMeanS) * 1000;
      const flapAt = flapDraw < run.flapUntil ? flapDraw : Infinity;
      const first = Math.min(noiseAt, restartAt, flapAt, nextCut, lifeEnd, stopAt);
      if (first < limit) {
        const elapsedS = (first - cur) / 1000;
        if (first === stopAt) {
          if (stopAt < run.now && run.heartbeatIntervalS !== null) {
            end = Math.max(start, stopAt - rng.uniform(0, run.heartbeatIntervalS) * 1000);
            reason = "inferred";
          }
        } else if (first === noiseAt) {
          const kind = rng.next();
          if (kind < 0.3) {
            // Silent loss: noticed at the read timeout, unless a resetting middlebox cuts the idle flow first.
            if (run.idle?.mode === "reset") [end, reason, idleS, errno] = middleboxReset(rng, cur, run.idle.timeoutS);
            else [end, reason, idleS, errno] = [cur + traffic.readTimeoutS * 1000, "timeout", traffic.readTimeoutS, "ETIMEDOUT"];
          } else if (kind < 0.7) [end, reason, idleS, errno] = [first, "reset", elapsedS, "ECONNRESET"];
          else if (kind < 0.9) [end, reason, idleS, errno] = [first, "error", elapsedS, rng.pick(["EPIPE", "EPROTO"])];
          else [end, reason, idleS, errno] = [first, "unknown", elapsedS, null];
        } else if (first === restartAt) {
          if (rng.chance(0.6)) [end, reason, idleS] = [first, "client_closed", elapsedS];
          else [end, reason] = [first, "superseded"];
        } else if (first === flapAt) {
          [end, reason, idleS, errno] = [first, rng.chance(0.6) ? "reset" : "error", elapsedS, "ECONNRESET"];
        } else if (first === nextCut) {
          [end, reason, idleS, errno] = [first, rng.chance(0.5) ? "reset" : "error", elapsedS, "ENETUNREACH"];
        } else {
          [end, reason, idleS] = [first, rng.chance(0.5) ? "server_closed" : "reset", elapsedS];
        }
        break;
      }
      if (fatal && run.idle) {
        if (run.idle.mode === "reset") [end, reason, idleS, errno] = middleboxReset(rng, cur, run.idle.timeoutS);
        else if (run.idle.mode === "next_packet") {
          // The NAT forgot the flow; the server's answer at the end of the gap meets a RST.
          const noticedS = gapS + rng.uniform(0.05, 0.5);
          [end, reason, idleS, errno] = [cur + noticedS * 1000, "reset", noticedS, "ECONNRESET"];
        } else {
          const noticedS = traffic.readTimeoutS + rng.uniform(0, 2);
          [end, reason, idleS, errno] = [cur + noticedS * 1000, "timeout", noticedS, "ETIMEDOUT"];
        }
        break;
      }
      cur += gapS * 1000;
      maxIdleS = Math.max(maxIdleS ?? 0, gapS);
    }
    if (end !== null && end >= stopAt) {
      // Ended after the device went dark or after "now": inferred from heartbeats, or still open.
      const inferred = stopAt < run.now && run.heartbeatIntervalS !== null;
      [end, reason, idleS, errno] = inferred
        ? [Math.max(start, stopAt - rng.uniform(0, run.heartbeatIntervalS ?? 0) * 1000), "inferred", null, null]
        : [null, null, null, null];
    }
    record(start, end, reason, idleS, maxIdleS, errno);
    if (end === null || reason === "inferred") break;
    t = end + rng.uniform(1, run.flapFrom !== null && end >= run.flapFrom && end < run.flapUntil ? 30 : 20) * 1000;
  }
  const lastAliveAt = stopAt < run.now ? stopAt : run.now;
  return { sessions, failures, lastAliveAt };
}

type Ending = [number, EndReason, number, string];

/** RST at the timeout (plus sweep granularity of up to 0.4 % and the time to notice). */
function middleboxReset(rng: Rng, gapStart: number, timeoutS: number): Ending {
  const idleS = timeoutS * (1 + rng.uniform(0, 0.004)) + rng.uniform(0, 1.5);
  return [gapStart + idleS * 1000, rng.chance(0.85) ? "reset" : "error", idleS, rng.chance(0.85) ? "ECONNRESET" : "EPIPE"];
}

function interruptedConnect(rng: Rng, run: DeviceRun, at: number, kind: Interruption["kind"]): ConnectFailedEvent {
  const base = { type: "connect_failed" as const, device: run.device, site: run.site, publicIp: run.publicIp, at, endpoint: run.endpoint };
  if (kind === "platform") {
    return rng.chance(0.5)
      ? { ...base, stage: "http", errno: "HTTP_503", elapsedMs: rng.uniform(50, 500) }
      : { ...base, stage: "tcp", errno: "ECONNREFUSED", elapsedMs: rng.uniform(5, 80) };
  }
  return rng.chance(0.5)
    ? { ...base, stage: "dns", errno: "EAI_AGAIN", elapsedMs: rng.uniform(1000, 5000) }
    : { ...base, stage: "tcp", errno: "ENETUNREACH", elapsedMs: rng.uniform(1, 50) };
}
