// Complete evidence of each finding kind, for tests that care about a few fields: the
// defaults satisfy lib/contract/evidence.ts, and `over` sets what the test is about.
import type { EvidenceByKind } from "@/lib/contract/evidence";
import type { FindingKind } from "@/lib/contract/vocabulary";

const DEFAULTS: EvidenceByKind = {
  idle_timeout: { timeoutS: 900, mode: "reset", knownAs: null, knownTimeoutS: null, affectedDevices: [], affectedDeviceCount: 0, drops: 0, share: 0 },
  tls_interception: {
    issuer: "CN=Proxy CA",
    vendor: null,
    endpoint: "tenant.example.com:443",
    affectedDevices: [],
    affectedDeviceCount: 0,
    acceptedDevices: [],
    rejectedDeviceCount: 0,
    leafIssuer: null,
    reason: "private_root",
    errors: {},
    events: 1,
  },
  port_blocked: {
    endpoint: "tenant.example.com:443",
    mode: "dropped",
    affectedDevices: [],
    affectedDeviceCount: 0,
    failures: 0,
    errnos: {},
    lastSuccess: null,
    typicalElapsedMs: null,
  },
  outage: { start: "2026-11-26T10:00:00.000Z", end: null, affectedDevices: [], affectedDeviceCount: 0 },
  flapping: { reconnectsPerHour: 10, fleetMedianPerHour: 0.1, reconnects: 100 },
  offline: { lastSeen: "2026-11-26T10:00:00.000Z" },
  session_lifetime: {
    periodS: 3600,
    spreadS: 1,
    sessions: 0,
    share: 0,
    knownAs: null,
    affectedDevices: [],
    affectedDeviceCount: 0,
    idleRangeS: [0, 0],
    reasons: {},
  },
  scheduled_drop: { timeOfDay: "02:00", days: [], dayCount: 0, drops: 0, share: 0, affectedDevices: [], affectedDeviceCount: 0 },
  proxy_failure: {
    proxy: "proxy.corp.example:3128",
    endpoint: "tenant.example.com:443",
    mode: "unreachable",
    affectedDevices: [],
    affectedDeviceCount: 0,
    failures: 0,
    errnos: {},
    proxyErrors: {},
    lastSuccess: null,
  },
};

export function evidenceFor<K extends FindingKind>(kind: K, over: Partial<EvidenceByKind[K]> = {}): EvidenceByKind[K] {
  return { ...DEFAULTS[kind], ...over };
}
