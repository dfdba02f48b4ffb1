import type { FlushReport } from "./delivery";
import { weakestStage, type FunnelOutcome } from "./funnel";
import type { IdleMeasurement } from "./idle-measurement";
import type { ProbeOptions } from "./options";
import type { ProbeRun } from "./run";

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_NOT_DELIVERED = 3;

export interface RunVerdict {
  exitCode: number;
  /** One line saying what is wrong; absent when all is well. */
  reason?: string;
  /** Further problems worth a line of their own (the report stayed spooled behind a failed check). */
  more?: string[];
}

/** The first problem a site engineer should act on decides the exit code of `--once`. */
export function verdictOf(run: ProbeRun): RunVerdict {
  const { funnel } = run;
  const spooled = run.delivery.remaining > 0 ? deliveryProblem(run.delivery) : undefined;
  const failedCheck = (reason: string): RunVerdict => ({ exitCode: EXIT_CHECK_FAILED, reason, ...(spooled ? { more: [spooled] } : {}) });
  if (funnel.failure) {
    const remedy = funnel.remedy ? ` — what to do: ${funnel.remedy}` : "";
    return failedCheck(`${funnel.endpoint} failed at ${funnel.failure.stage}: ${funnel.failure.errno} (${funnel.failure.message})${remedy}`);
  }
  if (funnel.tls && !funnel.tls.verified) {
    const root = funnel.tls.chain[funnel.tls.chain.length - 1];
    const withheld = funnel.credentialsWithheld ? "; the --user/--password credentials were not sent over it" : "";
    if (funnel.tls.error === "ERR_TLS_CERT_ALTNAME_INVALID") {
      return failedCheck(`${funnel.endpoint}: the certificate presented is not issued for this name or address (${funnel.tls.error}; subject ${funnel.tls.chain[0]?.subject ?? "?"})${withheld}`);
    }
    return failedCheck(`${funnel.endpoint}: certificate chain not trusted (${funnel.tls.error}), issued by ${root?.issuer ?? "?"} — TLS interception?${withheld}`);
  }
  const inconclusive = run.idle.find((m) => m.inconclusive);
  if (inconclusive) return failedCheck(`idle-timeout measurement (${inconclusive.direction}) inconclusive: ${inconclusive.inconclusive}`);
  if (spooled) return { exitCode: EXIT_NOT_DELIVERED, reason: spooled };
  return { exitCode: EXIT_OK };
}

function deliveryProblem(d: FlushReport): string {
  const advice = d.advice ? ` What to do: ${d.advice}` : "";
  return `${d.remaining} events not delivered (${d.stoppedBecause}); they stay spooled and are sent on the next run.${advice}`;
}

export function summarizeRun(run: ProbeRun, options: ProbeOptions): string {
  const lines: string[] = [];
  const { funnel } = run;
  lines.push(`Linkscope probe ${options.device}${options.site ? ` (site ${options.site})` : ""}, ${run.startedAt.toISOString()}, ${run.durationS.toFixed(1)} s`);
  lines.push(`Target ${options.target.origin}${funnel.proxy ? ` via proxy ${funnel.proxy} (from ${funnel.proxySource})` : ""}`);
  if (funnel.failure) {
    lines.push(`  FAILED at ${funnel.failure.stage}: ${funnel.failure.errno} — ${funnel.failure.message}`);
    if (funnel.remedy) lines.push(`  What to do: ${funnel.remedy}`);
  }
  if (funnel.tls) {
    const tls = funnel.tls;
    lines.push(`  TLS ${tls.protocol ?? "?"}: ${tls.verified ? "trusted" : `NOT trusted (${tls.error})`}`);
    for (const cert of tls.chain) lines.push(`    ${cert.subject}  ←  ${cert.issuer}`);
  }
  if (funnel.httpStatus !== undefined) lines.push(`  HTTP: answered ${funnel.httpStatus}`);
  if (funnel.credentialsWithheld) lines.push("  Credentials: --user/--password NOT sent — the chain is not verified, so whoever presented it could read them");
  if (funnel.bayeux) {
    lines.push(`  Bayeux: handshake ${funnel.bayeux.handshakeMs} ms, /meta/connect ${funnel.bayeux.connectMs} ms${funnel.credentialsWithheld ? " (without credentials)" : ""}`);
  } else if (funnel.bayeuxNeedsCredentials) {
    lines.push(`  Bayeux: answered ${funnel.bayeuxNeedsCredentials} without the withheld credentials — reachable, login not tested`);
  }
  lines.push(`  ${reachabilityLine(funnel, options)}`);
  for (const measurement of run.idle) lines.push(describeIdle(measurement));
  if (run.idleSkipped) lines.push(`Idle timeout: not measured (${run.idleSkipped})`);
  const d = run.delivery;
  if (d.remaining > 0) {
    lines.push(`Report: ${run.events.length} events; ${d.remaining} still spooled in ${options.spoolFile} (${d.stoppedBecause})`);
    if (d.advice) lines.push(`  What to do: ${d.advice}`);
  } else {
    lines.push(`Report: ${run.events.length} events; server accepted ${d.delivered}, duplicates ${d.duplicates}, rejected ${d.rejected}${d.dropped ? `, dropped ${d.dropped}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The verdict of the funnel follows its weakest stage: what a device on this path would get. */
export function reachabilityLine(funnel: FunnelOutcome, options: Pick<ProbeOptions, "bayeux">): string {
  const weakest = weakestStage(funnel);
  if (funnel.failure) return `NOT reachable: stuck at ${funnel.failure.stage} (${funnel.failure.errno})`;
  if (weakest === "tls") {
    const after = funnel.bayeux ? "HTTP and Bayeux /meta/connect" : funnel.httpStatus !== undefined ? "HTTP" : undefined;
    return `NOT reachable for a device that verifies certificates: stuck at tls (chain not trusted)${after ? `; over the untrusted chain ${after} got through` : ""}`;
  }
  if (weakest === "bayeux") return "reachable up to HTTP; the Bayeux login was not tested";
  return `reachable${options.bayeux ? " through Bayeux /meta/connect" : ""}`;
}

function describeIdle(m: IdleMeasurement): string {
  const head = `Idle timeout ${m.direction}:`;
  const tail = `(${m.rounds} round${m.rounds === 1 ? "" : "s"}, ${m.durationS.toFixed(0)} s)`;
  if (!m.result) return `${head} inconclusive — ${m.inconclusive} ${tail}`;
  const { survivedS, diedS, estimateS } = m.result;
  if (survivedS.length + diedS.length === 0 && m.serverClosedS.length > 0) {
    return `${head} not measurable — the server closed idle keep-alive connections itself before ${Math.min(...m.serverClosedS)} s ${tail}`;
  }
  if (estimateS === null) {
    const longest = survivedS.length > 0 ? Math.max(...survivedS) : 0;
    const limited = m.serverClosedS.length > 0 ? `; the server closed idle keep-alive connections itself after ${Math.min(...m.serverClosedS)} s` : "";
    return `${head} none found — idle connections survived ${longest} s${limited} ${tail}`;
  }
  const below = survivedS.filter((s) => s < Math.min(...diedS));
  return `${head} ≈ ${estimateS} s (survived ${below.length > 0 ? Math.max(...below) : 0} s, cut at ${Math.min(...diedS)} s) ${tail}`;
}
