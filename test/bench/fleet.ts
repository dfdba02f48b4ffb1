// A realistic fleet for the ingest benchmark: devices on sites behind different
// middleboxes, heartbeating every 60 s, holding long-poll sessions that end the way each
// site's network ends them, sometimes failing to connect, reporting the TLS chain they see.
// The result is the wire events in the order the devices would send them: by device time,
// plus a small per-event upload delay (so neighbours can arrive slightly out of order).
import { rng, type Rng } from "../helpers/random";

export interface FleetShape {
  devices: number;
  sites: number;
  /** simulated hours of traffic, ending at `end` */
  hours: number;
  /** device time of the last moment simulated, ms */
  end: number;
  seed: number;
}

export type BenchEvent = Record<string, unknown> & { id: string; device: string; type: string; at: string };

/** How a site's network ends long-poll connections. */
type SiteNetwork =
  | { kind: "healthy"; meanSessionS: number }
  | { kind: "reset"; timeoutS: number } // NAT/firewall sends RST at its idle timeout
  | { kind: "silent"; timeoutS: number } // forgets the flow; the device notices at its read timeout
  | { kind: "intercepted"; meanSessionS: number }; // TLS-inspecting proxy: foreign issuer in the chain

interface Site {
  slug: string;
  publicIp: string;
  network: SiteNetwork;
}

const HEARTBEAT_S = 60;
const LONG_POLL_HOLD_S = 55;
const ENDPOINT = "push.linkscope-fleet.example:443";
const FIRMWARE = ["2.4.1", "2.4.3", "2.5.0"];

export function generateFleet(shape: FleetShape): BenchEvent[] {
  const r = rng(shape.seed);
  const sites = Array.from({ length: shape.sites }, (_, i) => makeSite(r, i));
  const start = shape.end - shape.hours * 3_600_000;
  const timed: Array<{ sendAt: number; event: BenchEvent }> = [];
  for (let d = 0; d < shape.devices; d++) {
    // Uneven site sizes: a few big sites, a long tail of small ones.
    const site = sites[Math.min(shape.sites - 1, Math.floor(shape.sites * r.next() ** 1.6))];
    for (const event of simulateDevice(r, `dev-${String(d).padStart(5, "0")}`, site, start, shape.end)) {
      timed.push({ sendAt: Date.parse(event.at) + r.int(50, 3000), event });
    }
  }
  timed.sort((a, b) => a.sendAt - b.sendAt);
  return timed.map((t) => t.event);
}

function makeSite(r: Rng, i: number): Site {
  const roll = r.next();
  const network: SiteNetwork =
    roll < 0.5
      ? { kind: "healthy", meanSessionS: r.int(1800, 7200) }
      : roll < 0.7
        ? { kind: "reset", timeoutS: r.pick([30, 45, 50]) }
        : roll < 0.85
          ? { kind: "silent", timeoutS: r.pick([40, 50]) }
          : { kind: "intercepted", meanSessionS: r.int(1800, 3600) };
  return { slug: `site-${String(i).padStart(3, "0")}`, publicIp: `203.0.${113 + (i >> 8)}.${i & 255}`, network };
}

function simulateDevice(r: Rng, device: string, site: Site, start: number, end: number): BenchEvent[] {
  const events: BenchEvent[] = [];
  const idPrefix = Math.floor(r.next() * 0xffffffff).toString(16).padStart(8, "0");
  let counter = 0;
  const base = (type: string, at: number): BenchEvent => ({
    id: `${idPrefix}-${(counter++).toString(16).padStart(6, "0")}`,
    device,
    site: site.slug,
    type,
    at: new Date(Math.round(at)).toISOString(),
  });

  // Heartbeats: every 60 s (with a little clock jitter), on their own timer.
  let seq = 0;
  for (let t = start + r.next() * HEARTBEAT_S * 1000; t < end; t += HEARTBEAT_S * 1000 + r.int(-400, 400)) {
    events.push({ ...base("heartbeat", t), seq: seq++, rttMs: Math.round(20 + r.next() * 180), intervalS: HEARTBEAT_S });
  }

  // Long-poll sessions: connect (TLS chain reported now and then), live a while, end, reconnect.
  const firmware = r.pick(FIRMWARE);
  let t = start + r.next() * 30_000;
  let n = 0;
  while (t < end) {
    if (r.chance(0.04)) {
      events.push({ ...base("connect_failed", t), endpoint: ENDPOINT, stage: r.pick(["dns", "tcp", "tcp", "tls"]), errno: r.pick(["ETIMEDOUT", "ECONNREFUSED", "EAI_AGAIN"]), elapsedMs: r.int(50, 10_000) });
      t += r.int(5, 30) * 1000;
      continue;
    }
    const session = `${device}-${n++}`;
    const handshakeMs = r.int(40, 400);
    if (site.network.kind === "intercepted" || r.chance(0.2)) events.push({ ...base("tls", t), ...tlsFields(site) });
    events.push({ ...base("connect", t + handshakeMs), session, endpoint: ENDPOINT, transport: "long-polling", publicIp: site.publicIp, handshakeMs, attrs: { fw: firmware } });
    const ending = sessionEnding(r, site.network);
    const endAt = t + handshakeMs + ending.durationS * 1000;
    if (endAt >= end) break; // still open when the simulation stops
    events.push({ ...base("disconnect", endAt), session, endpoint: ENDPOINT, ...ending.fields, durationS: ending.durationS });
    t = endAt + r.int(1, 10) * 1000;
  }
  return events;
}

function sessionEnding(r: Rng, network: SiteNetwork): { durationS: number; fields: Record<string, unknown> } {
  const polls = () => 1 + Math.floor(-Math.log(1 - r.next()) * 8); // answered polls before the fatal one
  switch (network.kind) {
    case "reset": {
      const durationS = polls() * Math.min(LONG_POLL_HOLD_S, network.timeoutS - 1) + network.timeoutS;
      return { durationS, fields: { reason: "reset", errno: "ECONNRESET", idleS: network.timeoutS + r.next(), maxIdleS: network.timeoutS - 5 } };
    }
    case "silent": {
      const readTimeoutS = 90;
      const durationS = polls() * (network.timeoutS - 2) + readTimeoutS;
      return { durationS, fields: { reason: "timeout", errno: "ETIMEDOUT", idleS: readTimeoutS, maxIdleS: network.timeoutS - 2 - r.next() * 3 } };
    }
    default: {
      const durationS = Math.round(-Math.log(1 - r.next()) * network.meanSessionS) + 1;
      const reason = r.chance(0.7) ? "server_closed" : "client_closed";
      return { durationS, fields: { reason, idleS: r.next() * 5, maxIdleS: LONG_POLL_HOLD_S } };
    }
  }
}

const hex = (seed: string) => {
  let h = 2166136261;
  let out = "";
  for (let i = 0; out.length < 64; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i % seed.length) ^ i, 16777619) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 64);
};

const GENUINE_CHAIN = [
  cert("CN=push.linkscope-fleet.example", "CN=R11,O=Let's Encrypt,C=US"),
  cert("CN=R11,O=Let's Encrypt,C=US", "CN=ISRG Root X1,O=Internet Security Research Group,C=US"),
  cert("CN=ISRG Root X1,O=Internet Security Research Group,C=US", "CN=ISRG Root X1,O=Internet Security Research Group,C=US"),
];
const INTERCEPTED_CHAIN = [
  cert("CN=push.linkscope-fleet.example", "CN=FortiGate CA,O=Fortinet,C=US"),
  cert("CN=FortiGate CA,O=Fortinet,C=US", "CN=Corp Root CA,O=Example Corp"),
  cert("CN=Corp Root CA,O=Example Corp", "CN=Corp Root CA,O=Example Corp"),
];

function cert(subject: string, issuer: string) {
  return { subject, issuer, sha256: hex(subject + issuer), spkiSha256: hex(subject), notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z" };
}

function tlsFields(site: Site): Record<string, unknown> {
  const intercepted = site.network.kind === "intercepted";
  return {
    endpoint: ENDPOINT,
    verified: !intercepted,
    ...(intercepted ? { error: "SELF_SIGNED_CERT_IN_CHAIN" } : {}),
    protocol: "TLSv1.3",
    cipher: "TLS_AES_128_GCM_SHA256",
    chain: intercepted ? INTERCEPTED_CHAIN : GENUINE_CHAIN,
  };
}
