import { randomUUID } from "node:crypto";
import { proxyRemedy } from "./advice";
import { bayeuxHandshakeAndConnect, type BayeuxOptions, type BayeuxSession } from "./bayeux";
import { endpointOf, type FunnelStage, type ProbeEventBody } from "./events";
import { StageFailure, errnoOf, messageOf, tcpOutcome } from "./failure";
import { HttpConnection, RequestFailure, type HttpReply } from "./http-connection";
import type { Progress } from "./progress";
import { describeProxy, proxyErrorOf, type ProxyRoute, type ProxySource } from "./proxy";
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
  /** The proxy the funnel went through (`host:port`), and where it was configured. */
  proxy?: string;
  proxySource?: ProxySource;
  /** The stage that failed, if any. */
  failure?: StageFailure;
  tls?: TlsHandshake;
  httpStatus?: number;
  /** Whether the Bayeux stage was asked for (the target is a Bayeux server). */
  bayeuxAsked?: boolean;
  bayeux?: BayeuxSession;
  /** `--user/--password` were not sent: the chain they would have crossed was not verified. */
  credentialsWithheld?: boolean;
  /** Without the withheld credentials, the Bayeux endpoint refused the handshake (its errno). */
  bayeuxNeedsCredentials?: string;
  /** What to do about `failure` when a proxy had a part in it. */
  remedy?: string;
}

/** Answers of a Bayeux endpoint that wants credentials (HTTP or Bayeux `401::…`). */
const AUTH_REFUSALS = new Set(["HTTP_401", "HTTP_403", "BAYEUX_401", "BAYEUX_403"]);

/**
 * Walks the reachability funnel once — DNS → TCP (→ proxy CONNECT) → TLS → HTTP → Bayeux —
 * on one connection, emitting the protocol events a device would: `tls` with the presented
 * chain, then `connect` + `disconnect client_closed` when everything got through, or one
 * `connect_failed` naming the stage that did not. A `probe`/`reachability` event summarises it.
 *
 * Platform credentials (`--user/--password`) cross only a verified chain: over an intercepted
 * one the interceptor could read them, so the Bayeux stage then runs without them.
 */
export async function runFunnel(options: FunnelOptions, emit: EmitEvent, progress: Progress): Promise<FunnelOutcome> {
  const endpoint = endpointOf(bareHostname(options.target), targetPort(options.target));
  const stageMs: Partial<Record<FunnelStage, number>> = {};
  const route = options.transport.proxy;
  const outcome: FunnelOutcome = { endpoint, proxy: route?.label, proxySource: route?.source, bayeuxAsked: options.bayeux !== undefined };
  const via = route ? { proxy: route.label } : {};
  const failed = (failure: StageFailure): FunnelOutcome => {
    outcome.failure = failure;
    outcome.remedy = proxyRemedy(failure, route, options.target);
    const tcp = failure.stage === "tcp" ? { outcome: tcpOutcome(failure.errno) } : {};
    const attrs = { message: failure.message, ...tcp, ...via, ...(route ? { proxySource: route.source } : {}) };
    emit({ type: "connect_failed", endpoint, stage: failure.stage, errno: failure.errno, elapsedMs: failure.elapsedMs, ...proxyFields(failure, route), attrs });
    progress.step(failure.stage, `FAILED ${failure.errno}: ${failure.message}`);
    if (outcome.remedy) progress.step(failure.stage, `what to do: ${outcome.remedy}`);
    emitReachability(options, emit, outcome, stageMs);
    return outcome;
  };

  progress.step("funnel", `${options.target.origin}${route ? ` via ${describeProxy(route)}` : ""}`);
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
    emit({ type: "tls", endpoint, verified: tls.verified, error: tls.error, protocol: tls.protocol, cipher: tls.cipher, chain: tls.chain, ...via, attrs: { ...via } });
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
      const refusal = gatewayFailure(reply, route, stageMs.http);
      if (refusal) return failed(refusal);
      progress.step("http", `GET / → ${reply.status} (${stageMs.http} ms)`);
    } catch (error) {
      const errno = error instanceof RequestFailure ? error.code : errnoOf(error);
      const through = route ? ` (through ${describeProxy(route)})` : "";
      return failed(new StageFailure("http", errno, `GET /: ${messageOf(error)}${through}`, Date.now() - httpStarted));
    }

    if (options.bayeux) {
      const bayeux = withheldCredentials(options.bayeux, opened, progress);
      outcome.credentialsWithheld = bayeux !== options.bayeux;
      try {
        outcome.bayeux = await bayeuxHandshakeAndConnect(connection, bayeux);
        stageMs.bayeux = outcome.bayeux.handshakeMs + outcome.bayeux.connectMs;
        progress.step("bayeux", `handshake ok (clientId ${outcome.bayeux.clientId}, ${outcome.bayeux.handshakeMs} ms), /meta/connect ok (${outcome.bayeux.connectMs} ms)${outcome.credentialsWithheld ? " without credentials" : ""}`);
      } catch (error) {
        const failure = error instanceof StageFailure ? error : new StageFailure("bayeux", errnoOf(error), messageOf(error), 0);
        // Refused for want of the credentials the probe withheld: the path got through; the login was not tried.
        if (!outcome.credentialsWithheld || !AUTH_REFUSALS.has(failure.errno)) return failed(failure);
        outcome.bayeuxNeedsCredentials = failure.errno;
        progress.step("bayeux", `answered ${failure.errno} without the withheld credentials: the endpoint is reachable, the login was not tested`);
      }
    }
  } finally {
    connection.close();
  }

  const session = `probe-${randomUUID()}`;
  const transport = outcome.bayeux ? "long-polling" : opened.tls ? "https" : "tcp";
  const handshakeMs = outcome.bayeux?.handshakeMs ?? opened.stageMs.tls;
  emit({ type: "connect", session, endpoint, transport, handshakeMs, attrs: { ...via } }, connectedAt);
  const closedAt = new Date();
  emit({ type: "disconnect", session, reason: "client_closed", transport, durationS: (closedAt.getTime() - connectedAt.getTime()) / 1000 }, closedAt);
  emitReachability(options, emit, outcome, stageMs);
  return outcome;
}

/**
 * The Bayeux options to use: without `--user/--password` when the chain they would cross was
 * not verified (whoever presented it can read them, as with the Linkscope key).
 */
function withheldCredentials(bayeux: BayeuxOptions, opened: OpenedTransport, progress: Progress): BayeuxOptions {
  if (bayeux.user === undefined) return bayeux;
  if (!opened.tls) {
    progress.warn(`--user/--password go to ${opened.endpoint} in clear text (http://)${opened.via ? `, readable by the proxy ${opened.via}` : ""}`);
    return bayeux;
  }
  if (opened.tls.verified) return bayeux;
  const issuer = opened.tls.chain[0]?.issuer ?? "an unknown issuer";
  progress.warn(
    `not sending --user/--password: the chain of ${opened.endpoint} is not verified (${opened.tls.error}; leaf issued by ${issuer})` +
      `${opened.via ? `, presented through the proxy ${opened.via}` : ""}, so whoever presented it could read them. ` +
      "The Bayeux stage runs without them; if IT confirms the issuer is the company's inspection CA, pass it with --ca FILE.",
  );
  return { ...bayeux, user: undefined, password: undefined };
}

/**
 * A 5xx that a proxy made itself (it carries the proxy's error header: Squid's 503
 * `ERR_SECURE_CONNECT_FAIL` when a bumping proxy cannot verify the server), or a gateway's
 * 502/504, fails the HTTP stage: nothing behind it was reached.
 */
function gatewayFailure(reply: HttpReply, route: ProxyRoute | undefined, elapsedMs: number): StageFailure | undefined {
  const proxyError = proxyErrorOf(reply.headers);
  if (proxyError && reply.status >= 500) {
    const who = route ? `the ${describeProxy(route)}` : "a proxy on the path (none is configured: a transparent one)";
    return new StageFailure("http", `HTTP_${reply.status}`, `GET / answered ${reply.status} by ${who} (${proxyError}): the proxy could not reach or verify the server`, elapsedMs, { stage: "origin", error: proxyError });
  }
  if (reply.status === 502 || reply.status === 504) {
    return new StageFailure("http", `HTTP_${reply.status}`, `GET / answered ${reply.status} (a gateway could not reach the server)`, elapsedMs);
  }
  return undefined;
}

/** The connect_failed fields saying what a proxy had to do with the failure (docs/protocol-additions.md). */
function proxyFields(failure: StageFailure, route: ProxyRoute | undefined): { proxy?: string; proxyStage?: NonNullable<StageFailure["proxy"]>["stage"]; proxyError?: string } {
  const error = failure.proxy?.error === undefined ? {} : { proxyError: failure.proxy.error };
  if (!route) return error;
  return { proxy: route.label, proxyStage: failure.proxy?.stage ?? "tunnel", ...error };
}

/**
 * The first stage a device would have got stuck at: the failed one, else TLS when the chain was
 * not trusted (a device with its own trust store fails there, whatever got through after it),
 * else Bayeux when its login could not be tried.
 */
export function weakestStage(outcome: FunnelOutcome): FunnelStage | null {
  if (outcome.failure) return outcome.failure.stage;
  if (outcome.tls && !outcome.tls.verified) return "tls";
  if (outcome.bayeuxAsked && !outcome.bayeux) return "bayeux";
  return null;
}

function emitReachability(options: FunnelOptions, emit: EmitEvent, outcome: FunnelOutcome, stageMs: Partial<Record<FunnelStage, number>>): void {
  const weakest = weakestStage(outcome);
  emit({
    type: "probe",
    kind: "reachability",
    result: {
      target: options.target.origin,
      endpoint: outcome.endpoint,
      proxy: outcome.proxy ?? null,
      proxySource: outcome.proxySource ?? null,
      ok: weakest === null,
      weakestStage: weakest,
      failedStage: outcome.failure?.stage ?? null,
      errno: outcome.failure?.errno ?? null,
      proxyStage: outcome.failure ? (outcome.failure.proxy?.stage ?? (outcome.proxy ? "tunnel" : null)) : null,
      proxyError: outcome.failure?.proxy?.error ?? null,
      stageMs,
      tlsVerified: outcome.tls?.verified ?? null,
      httpStatus: outcome.httpStatus ?? null,
      bayeux: options.bayeux ? outcome.bayeux !== undefined : null,
      credentialsWithheld: outcome.credentialsWithheld ?? false,
      bayeuxNeedsCredentials: outcome.bayeuxNeedsCredentials ?? null,
    },
  });
}
