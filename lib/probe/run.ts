import fs from "node:fs";
import tls from "node:tls";
import { reportRemedy } from "./advice";
import { flushSpool, type FlushReport, type IngestTarget } from "./delivery";
import { stampEvent, type ProbeEvent } from "./events";
import { runFunnel, type EmitEvent, type FunnelOutcome } from "./funnel";
import { measureIdleTimeout, type IdleMeasurement } from "./idle-measurement";
import type { HoldEndpoint } from "./idle-tries";
import type { Environment } from "./environment";
import type { ProbeOptions } from "./options";
import type { Progress } from "./progress";
import { proxyFor } from "./proxy";
import { EventSpool } from "./spool";
import type { TransportOptions } from "./transport";

export interface ProbeRun {
  startedAt: Date;
  durationS: number;
  funnel: FunnelOutcome;
  idle: IdleMeasurement[];
  /** Why the idle measurement did not run. */
  idleSkipped?: string;
  events: ProbeEvent[];
  delivery: FlushReport;
}

/** One full probe run: the funnel, then the idle-timeout measurement; events are spooled and sent after each. */
export async function runProbeOnce(options: ProbeOptions, env: Environment, progress: Progress): Promise<ProbeRun> {
  const startedAt = new Date();
  const events: ProbeEvent[] = [];
  const emit: EmitEvent = (body, at) => events.push(stampEvent({ device: options.device, site: options.site }, body, at));

  const funnel = await runFunnel(
    {
      target: options.target,
      transport: transportFor(options, env, options.target, false),
      bayeux: options.bayeux ? { ...options.bayeux, deadlineMs: options.connectTimeoutMs * 3 } : undefined,
      requestDeadlineMs: options.connectTimeoutMs * 3,
    },
    emit,
    progress,
  );

  // Spool and send the funnel's events before the idle measurement, which can take an hour.
  const spool = new EventSpool(options.spoolFile, progress, options.spoolMax);
  const serverTransport = transportFor(options, env, options.server, !options.insecure);
  spool.append(events);
  const funnelDelivery = await deliverSpooled(options, spool, serverTransport, progress);
  const funnelEventCount = events.length;

  let idle: IdleMeasurement[] = [];
  let idleSkipped: string | undefined;
  if (!options.idle) {
    idleSkipped = "--no-idle";
  } else if (funnel.failure && options.target.href === options.server.href) {
    idleSkipped = `the server is not reachable (${funnel.failure.stage}: ${funnel.failure.errno})`;
  } else if (funnel.tls && !funnel.tls.verified && serverTransport.requireTrusted && options.target.href === options.server.href) {
    idleSkipped = `the server's certificate is not trusted (${funnel.tls.error}); the key is not sent to it without --ca FILE or --insecure`;
  } else if (funnelDelivery.failure) {
    // The hold requests take the report's way to the server: they would fail the same way.
    idleSkipped = `the Linkscope server could not be reached for the report (${funnelDelivery.failure.errno})`;
  } else {
    const idleOptions = options.idle;
    const endpoint: HoldEndpoint = { server: options.server, key: options.key, transport: serverTransport };
    idle = await Promise.all(idleOptions.directions.map((direction) => measureIdleTimeout(direction, endpoint, idleOptions, progress)));
    for (const measurement of idle) {
      // No try survived or died (the server closed every keep-alive first): nothing to report.
      if (!measurement.result || measurement.result.survivedS.length + measurement.result.diedS.length === 0) continue;
      emit({
        type: "probe",
        kind: "idle_timeout",
        result: measurement.result,
        attrs: {
          rounds: measurement.rounds,
          durationS: measurement.durationS,
          ladderS: idleOptions.ladderS,
          controlRequests: measurement.control.requests,
          inconsistent: measurement.inconsistent,
          ...(measurement.serverClosedS.length > 0 ? { serverClosedS: measurement.serverClosedS } : {}),
        },
      });
    }
  }
  if (idleSkipped) progress.step("idle", `skipped: ${idleSkipped}`);

  const idleEvents = events.slice(funnelEventCount);
  spool.append(idleEvents);
  const idleDelivery = idleEvents.length > 0 ? await deliverSpooled(options, spool, serverTransport, progress) : undefined;
  const delivery = idleDelivery ? combineReports(funnelDelivery, idleDelivery) : funnelDelivery;
  return { startedAt, durationS: (Date.now() - startedAt.getTime()) / 1000, funnel, idle, idleSkipped, events, delivery };
}

export async function deliverSpooled(options: ProbeOptions, spool: EventSpool, transport: TransportOptions, progress: Progress): Promise<FlushReport> {
  const target: IngestTarget = { server: options.server, key: options.key, transport, deadlineMs: options.connectTimeoutMs * 3 };
  const report = await flushSpool(spool, target, progress);
  if (report.failure) report.advice = reportRemedy(report.failure, options.server, transport.proxy, options.target);
  if (report.delivered + report.duplicates + report.rejected > 0) {
    progress.step("report", `sent: ${report.delivered} accepted, ${report.duplicates} duplicates, ${report.rejected} rejected`);
  }
  if (report.remaining > 0) {
    progress.step("report", `${report.remaining} events kept in ${options.spoolFile}: ${report.stoppedBecause}`);
    if (report.advice) progress.step("report", `what to do: ${report.advice}`);
  }
  return report;
}

/** Counts add up; what is left and why comes from the later flush. */
function combineReports(first: FlushReport, later: FlushReport): FlushReport {
  return {
    ...later,
    delivered: first.delivered + later.delivered,
    duplicates: first.duplicates + later.duplicates,
    rejected: first.rejected + later.rejected,
    dropped: first.dropped + later.dropped,
  };
}

/** How to reach `url`: its proxy, the timeouts, the trust anchors; `requireTrusted` for requests carrying the key. */
export function transportFor(options: ProbeOptions, env: Environment, url: URL, requireTrusted: boolean): TransportOptions {
  return {
    proxy: proxyFor(url, options.proxyFlag, env),
    connectTimeoutMs: options.connectTimeoutMs,
    ca: trustAnchors(options.caFile, env),
    requireTrusted,
  };
}

/** `--ca` adds to Node's store rather than replacing it (NODE_EXTRA_CA_CERTS kept too). The file was checked at startup. */
export function trustAnchors(caFile: string | undefined, env: Environment): string[] | undefined {
  if (!caFile) return undefined;
  const extra = env.NODE_EXTRA_CA_CERTS ? [fs.readFileSync(env.NODE_EXTRA_CA_CERTS, "utf8")] : [];
  return [...tls.rootCertificates, ...extra, fs.readFileSync(caFile, "utf8")];
}
