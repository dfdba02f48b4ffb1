/** What the fleet simulator is told to generate per site, and the truth it must be judged by. */
import type { FindingKind } from "../../lib/analysis/types";

/** How a site's devices use their long-poll connection. */
export interface Traffic {
  /** the server's long-poll hold (Bayeux advice.timeout): an empty poll returns after it */
  holdS: number;
  /** mean seconds between data pushed to a device (Infinity: never) */
  dataMeanS: number;
  /** the client's own read timeout: a silently dead connection is noticed after this long */
  readTimeoutS: number;
  /** random drops per device and day (resets, errors, silent losses) */
  noisePerDay: number;
  /** device restarts per day (client_closed or superseded ends) */
  restartsPerDay: number;
}

export interface IdleFault {
  timeoutS: number;
  /** RST at the timeout; silently forgotten (noticed at the read timeout); forgotten and RST when data next arrives */
  mode: "reset" | "silent" | "next_packet";
  /** fraction of the site's devices behind this middlebox (consecutive device indexes) */
  deviceShare: number;
}

export interface TlsSetup {
  /** catalogue vendor name, or null for an admin-generated private CA */
  vendor: string | null;
  /** did the devices trust the interceptor (configured to accept it) */
  accepted: boolean;
  deviceShare: number;
}

export interface SiteSpec {
  slug: string;
  /** scenario label, for the report */
  scenario: string;
  devices: number;
  /** first data of the site (ms) */
  from: number;
  /** devices connect for the first time within this many seconds after `from` */
  startSpreadS: number;
  publicIp: string;
  endpoint: string;
  heartbeatIntervalS: number | null;
  traffic: Traffic;
  idleFaults: IdleFault[];
  /** a probe run measures the path (on device 0) */
  probe: boolean;
  tls: TlsSetup | null;
  /** device 0 trusts an outdated store: rejects the genuine public chain */
  staleTrustStore: boolean;
  portBlocked: "refused" | "dropped" | null;
  /** the devices go through an HTTP proxy that fails them at the proxy (never a blocked port) */
  proxyFailure: "unreachable" | "auth_required" | "forbidden" | null;
  /** one TCP failure followed by success: must not look blocked */
  transientTcpFailure: boolean;
  outage: { start: number; end: number | null } | null;
  flappingDevices: number;
  /** the flapping devices reconnect from `from` (each within ten minutes of it) until `until`, every `meanS` on average; null: each from its own time 8–48 h ago until now, every 240 s */
  flapBurst: { from: number; until: number; meanS: number } | null;
  /** a second WAN link: devices from this share of indexes up (as idle faults count them) leave through `publicIp` */
  secondEgress: { publicIp: string; fromShare: number } | null;
  offlineDevices: number;
  lifetimeS: number | null;
  scheduled: { minuteOfDay: number; allDevices: boolean } | null;
  /** copies of this site (same egress IP, own slugs) that generateFleet adds */
  egressSiblings: number;
  truths: GroundTruth[];
}

export interface GroundTruth {
  kind: FindingKind;
  scope: "site" | "publicIp" | "device" | "fleet";
  key: string;
  site: string | null;
  timeoutS?: number;
  mode?: "reset" | "silent" | "probe";
  vendor?: string | null;
  accepted?: boolean;
  portMode?: "refused" | "dropped";
  proxyMode?: "unreachable" | "auth_required" | "forbidden";
  start?: number;
  end?: number | null;
  periodS?: number;
  /** minutes after midnight UTC */
  minuteOfDay?: number;
  /** the devices a finding for it must be about (its path's devices when a site has several middleboxes) */
  devices?: string[];
  /** a finding for it is right, but missing it is no miss (e.g. one site of a shared egress) */
  optional?: boolean;
}
