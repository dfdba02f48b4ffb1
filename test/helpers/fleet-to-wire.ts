// Turns a simulated fleet (lib/analysis's plain records) back into the wire events a device
// would have sent, so the detectors can be checked end to end through ingest.
import type { FleetInput } from "@/lib/analysis/types";

export type WireEvent = Record<string, unknown> & { id: string; device: string; type: string; at: string };

const DISCONNECT_REASONS = new Set(["client_closed", "server_closed", "reset", "timeout", "error", "unknown"]);

export function fleetToWire(input: FleetInput): WireEvent[] {
  const out: WireEvent[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  let n = 0;
  const id = () => `sim-${n++}`;
  const site = (s: string | null) => (s === null ? {} : { site: s });
  const ip = (p: string | null | undefined) => (p ? { publicIp: p } : {});
  for (const s of input.sessions) {
    out.push({
      id: id(),
      device: s.device,
      ...site(s.site),
      ...ip(s.publicIp),
      type: "connect",
      session: s.session,
      endpoint: s.endpoint ?? "tenant.example.com:443",
      at: iso(s.start),
    });
    // superseded and inferred ends follow from the next connect / the heartbeats; the rest are disconnects.
    if (s.end !== null && s.endReason !== null && DISCONNECT_REASONS.has(s.endReason)) {
      out.push({
        id: id(),
        device: s.device,
        ...site(s.site),
        ...ip(s.publicIp),
        type: "disconnect",
        session: s.session,
        reason: s.endReason,
        ...(s.errno ? { errno: s.errno } : {}),
        ...(s.idleS !== null ? { idleS: s.idleS } : {}),
        ...(s.maxIdleS !== null ? { maxIdleS: s.maxIdleS } : {}),
        ...(s.durationS !== null ? { durationS: s.durationS } : {}),
        at: iso(s.end),
      });
    }
  }
  for (const e of input.events) {
    const common = { id: id(), device: e.device, ...site(e.site), ...ip(e.publicIp), at: iso(e.at) };
    if (e.type === "tls") {
      out.push({ ...common, type: "tls", endpoint: e.endpoint, verified: e.verified, ...(e.error ? { error: e.error } : {}), ...(e.proxy ? { proxy: e.proxy } : {}), chain: e.chain });
    } else if (e.type === "connect_failed") {
      out.push({
        ...common,
        type: "connect_failed",
        endpoint: e.endpoint,
        stage: e.stage,
        errno: e.errno,
        ...(e.elapsedMs != null ? { elapsedMs: e.elapsedMs } : {}),
        ...(e.proxy ? { proxy: e.proxy } : {}),
        ...(e.proxyStage ? { proxyStage: e.proxyStage } : {}),
        ...(e.proxyError ? { proxyError: e.proxyError } : {}),
      });
    } else {
      out.push({ ...common, type: "probe", kind: e.kind, result: e.result });
    }
  }
  // The simulator keeps only each device's last heartbeat; send that one, with its interval.
  for (const h of input.heartbeats) {
    if (h.lastHeartbeatAt === null) continue;
    out.push({
      id: id(),
      device: h.device,
      ...site(h.site),
      type: "heartbeat",
      ...(h.intervalS !== null ? { intervalS: h.intervalS } : {}),
      at: iso(h.lastHeartbeatAt),
    });
  }
  return out;
}
