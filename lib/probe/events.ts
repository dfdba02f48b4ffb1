import { randomUUID } from "node:crypto";
import type { WireEvent } from "../contract/events";

/**
 * The events the probe sends are the server's own wire events (lib/contract/events.ts, the
 * PROTOCOL.md contract), so the type checker holds the probe to exactly what ingest accepts.
 * The import is type-only: the bundle carries neither zod nor any server code.
 */
export type ProbeEvent = Exclude<WireEvent, { type: "heartbeat" }>;

export type CertificateSummary = Extract<ProbeEvent, { type: "tls" }>["chain"][number];
type ConnectFailed = Extract<ProbeEvent, { type: "connect_failed" }>;
export type FunnelStage = ConnectFailed["stage"];
export type ProxyStage = NonNullable<ConnectFailed["proxyStage"]>;
export type IdleTimeoutResult = Extract<ProbeEvent, { kind: "idle_timeout" }>["result"];
export type IdleDirection = IdleTimeoutResult["direction"];

/** Distributes Omit over the union so each member keeps its own fields. */
type WithoutBase<E> = E extends ProbeEvent ? Omit<E, "id" | "device" | "site" | "at"> : never;
export type ProbeEventBody = WithoutBase<ProbeEvent>;

export interface ProbeIdentity {
  device: string;
  site?: string;
}

/** Stamps event bodies with a fresh id, the probe's identity and the time they happened. */
export function stampEvent(identity: ProbeIdentity, body: ProbeEventBody, at: Date = new Date()): ProbeEvent {
  const base = { id: `probe-${randomUUID()}`, device: identity.device, at: at.toISOString() };
  const site = identity.site === undefined ? {} : { site: identity.site };
  return { ...base, ...site, ...body } as ProbeEvent;
}

/** `host:port` as PROTOCOL.md writes endpoints (IPv6 hosts in brackets). */
export function endpointOf(host: string, port: number): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}
