// One line per raw event for the log: the fields that matter for its type.
import type { DeviceEvent } from "@/lib/contract/dashboard";

const str = (v: unknown) => (typeof v === "string" ? v : null);
const num = (v: unknown) => (typeof v === "number" ? Math.round(v * 10) / 10 : null);

export function eventSummary(e: DeviceEvent): string {
  const d = e.data;
  const parts: Array<string | null> = [];
  switch (e.type) {
    case "heartbeat":
      parts.push(num(d.seq) !== null ? `seq ${num(d.seq)}` : null, num(d.rttMs) !== null ? `rtt ${num(d.rttMs)} ms` : null, num(d.intervalS) !== null ? `every ${num(d.intervalS)} s` : null);
      break;
    case "connect":
      parts.push(e.session ? `session ${e.session}` : null, str(d.endpoint) ? `→ ${d.endpoint}` : null, str(d.transport), num(d.handshakeMs) !== null ? `handshake ${num(d.handshakeMs)} ms` : null);
      break;
    case "disconnect":
      parts.push(e.session ? `session ${e.session}` : null, str(d.reason), str(d.errno), num(d.idleS) !== null ? `idle ${num(d.idleS)} s` : null, num(d.maxIdleS) !== null ? `survived ${num(d.maxIdleS)} s idle` : null);
      break;
    case "connect_failed":
      parts.push(str(d.stage), str(d.errno), str(d.endpoint) ? `→ ${d.endpoint}` : null, num(d.elapsedMs) !== null ? `after ${Math.round(num(d.elapsedMs)!)} ms` : null);
      break;
    case "tls": {
      const chain = Array.isArray(d.chain) ? (d.chain as Array<{ issuer?: string }>) : [];
      parts.push(str(d.endpoint), d.verified === true ? "accepted" : `refused${str(d.error) ? ` (${d.error})` : ""}`, chain[0]?.issuer ? `issuer ${chain[0].issuer}` : null);
      break;
    }
    case "probe": {
      const result = (d.result ?? {}) as Record<string, unknown>;
      parts.push(str(d.kind), num(result.estimateS) !== null ? `estimate ${num(result.estimateS)} s` : null);
      break;
    }
  }
  return parts.filter((p): p is string => p !== null && p !== "").join(" · ");
}
