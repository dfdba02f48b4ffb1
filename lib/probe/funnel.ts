import { randomUUID } from "node:crypto";
import { bayeuxHandshakeAndConnect, type BayeuxOptions, type BayeuxSession } from "./bayeux";
import { endpointOf, type FunnelStage, type ProbeEventBody } from "./events";
import { StageFailure, errnoOf, messageOf, tcpOutcome } from "./failure";
import { HttpConnection, RequestFailure } from "./http-connection";
import type { Progress } from "./progress";
import { proxyLabel } from "./proxy";
import { bareHostname, openTransport, targetPort, type OpenedTransport, type TlsHandshake, type TransportOptions } from "./transport";

export interface FunnelOptions {
  target: URL;
  transport: TransportOptions;
  /** Run the Bayeux stage (a Bayeux server such as Cumulocity is the target). */
  bayeux?: BayeuxOptions;
  requestDeadlineMs: number;
}

export type EmitEvent = (body: ProbeEventBody, at?: Date) => void;

export interface FunnelOutcome {
  endpoint: string;
  /** The proxy the funnel went through (`host:port`). */
  proxy?: string;
  /** The stage that failed, if any. */
  failure?: StageFailure;
  tls?: TlsHandshake;
  httpStatus?: number;
  bayeux?: BayeuxSession;
}

/**
 * Walks the reachability funnel once — DNS → TCP (→ proxy CONNECT) → TLS → HTTP → Bayeux —
 * on one connection, emitting the protocol events a device would: `tls` with the presented
 * chain, then `connect` + `disconnect client_closed` when everything got through, or one
 * `connect_failed` naming the stage that did not. A `probe`/`reachability` event summarises it.
 */
export async function runFunnel(options: FunnelOptions, emit: EmitEvent, progress: Progress): Promise<FunnelOutcome> {
  const endpoint = endpointOf(bareHostname(options.target), targetPort(options.target));
  const stageMs: Partial<Record<FunnelStage, number>> = {};
  const proxy = options.transport.proxy ? proxyLabel(options.transport.proxy) : undefined;
  const outcome: FunnelOutcome = { endpoint, proxy };
  const via = proxy ? { proxy } : {};
  const failed = (failure: StageFailure): FunnelOutcome => {
    outcome.failure = failure;
    const tcp = failure.stage === "tcp" ? { outcome: tcpOutcome(failure.errno) } : {};
    emit({ type: "connect_failed", endpoint, stage: failure.stage, errno: failure.errno, elapsedMs: failure.elapsedMs, attrs: { message: failure.message, ...tcp, ...via } });
    progress.step(failure.stage, `FAILED ${failure.errno}: ${failure.message}`);
    emitReachability(options, emit, outcome, stageMs);
    return outcome;
  };

  progress.step("funnel", `${options.target.origin}${proxy ? ` via proxy ${proxy}` : ""}`);
  let opened: OpenedTransport;
  try {
    opened = await openTransport(options.target, { ...options.transport, requireTrusted: false });
  } catch (error) {
    return failed(error instanceof StageFailure ? error : new StageFailure("tcp", errnoOf(error), messageOf(error), 0));
  }
  Object.assign(stageMs, opened.stageMs);
  progress.step("dns", `${opened.addresses.join(", ")} (${opened.stageMs.dns} ms)`);
  progress.step("tcp", `connected${opened.via ? ` through ${opened.via}` : ""} (${opened.stageMs.tcp} ms)`);
  const connectedAt = new Date();
  if (opened.tls) {
    const tls = opened.tls;
    outcome.tls = tls;
    emit({ type: "tls", endpoint, verified: tls.verified, error: tls.error, protocol: tls.protocol, cipher: tls.cipher, chain: tls.chain, attrs: { ...via } });
    const issuer = tls.chain[0]?.issuer ?? "no certificate";
    progress.step("tls", `${tls.protocol ?? "?"} ${tls.verified ? "verified" : `NOT verified (${tls.error})`}; leaf issued by ${issuer} (${opened.stageMs.tls} ms)`);
  }

  const connection = new HttpConnection(opened.socket, options.target.host);
  try {
    const httpStarted = Date.now();
    try {
      const reply = await connection.request({ method: "GET", path: "/", deadlineMs: options.requestDeadlineMs });
      stageMs.http = Date.now() - httpStarted;
      outcome.httpStatus = reply.status;
      if (reply.status === 502 || reply.status === 504) {
        return failed(new StageFailure("http", `HTTP_${reply.status}`, `GET / answered ${reply.status} (a gateway could not reach the server)`, stageMs.http));
      }
      progress.step("http", `GET / → ${reply.status} (${stageMs.http} ms)`);
    } catch (error) {
      const errno = error instanceof RequestFailure ? error.code : errnoOf(error);
      return failed(new StageFailure("http", errno, `GET /: ${messageOf(error)}`, Date.now() - httpStarted));
    }

    if (options.bayeux) {
      try {
        outcome.bayeux = await bayeuxHandshakeAndConnect(connection, options.bayeux);
      } catch (error) {
        return failed(error instanceof StageFailure ? error : new StageFailure("bayeux", errnoOf(error), messageOf(error), 0));
      }
      stageMs.bayeux = outcome.bayeux.handshakeMs + outcome.bayeux.connectMs;
      progress.step("bayeux", `handshake ok (clientId ${outcome.bayeux.clientId}, ${outcome.bayeux.handshakeMs} ms), /meta/connect ok (${outcome.bayeux.connectMs} ms)`);
    }
  } finally {
    connection.close();
  }

  const session = `probe-${randomUUID()}`;
  const transport = options.bayeux ? "long-polling" : opened.tls ? "https" : "tcp";
  const handshakeMs = outcome.bayeux?.handshakeMs ?? opened.stageMs.tls;
  emit({ type: "connect", session, endpoint, transport, handshakeMs, attrs: { ...via } }, connectedAt);
  const closedAt = new Date();
  emit({ type: "disconnect", session, reason: "client_closed", transport, durationS: (closedAt.getTime() - connectedAt.getTime()) / 1000 }, closedAt);
  emitReachability(options, emit, outcome, stageMs);
  return outcome;
}

function emitReachability(options: FunnelOptions, emit: EmitEvent, outcome: FunnelOutcome, stageMs: Partial<Record<FunnelStage, number>>): void {
  emit({
    type: "probe",
    kind: "reachability",
    result: {
      target: options.target.origin,
      endpoint: outcome.endpoint,
      proxy: outcome.proxy ?? null,
      ok: outcome.failure === undefined,
      failedStage: outcome.failure?.stage ?? null,
      errno: outcome.failure?.errno ?? null,
      stageMs,
      tlsVerified: outcome.tls?.verified ?? null,
      httpStatus: outcome.httpStatus ?? null,
      bayeux: options.bayeux ? outcome.bayeux !== undefined : null,
    },
  });
}
