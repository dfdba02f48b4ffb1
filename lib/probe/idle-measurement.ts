import type { IdleDirection, IdleTimeoutResult } from "./events";
import { bracketOf, estimateOf, isTight, refinementPoints } from "./idle-ladder";
import { downstreamTry, keepControlBusy, upstreamTry, type ControlReport, type HoldEndpoint, type TryVerdict } from "./idle-tries";
import type { Progress } from "./progress";

export interface IdleMeasurementOptions {
  ladderS: number[];
  /** Refinement rounds after the ladder, at most. */
  refineRounds: number;
  /** Parallel tries per refinement round. */
  refinePoints: number;
}

export interface IdleMeasurement {
  direction: IdleDirection;
  /** Set when the measurement gave a result; absent when `inconclusive` says why not. */
  result?: IdleTimeoutResult;
  inconclusive?: string;
  rounds: number;
  durationS: number;
  inconsistent: boolean;
  /** Upstream: gaps after which the server itself had closed the keep-alive connection. */
  serverClosedS: number[];
  control: ControlReport;
}

type Try = (endpoint: HoldEndpoint, idleS: number, signal: AbortSignal) => Promise<TryVerdict>;

const TRIES: Record<IdleDirection, Try> = { downstream: downstreamTry, upstream: upstreamTry };
const ARROW: Record<IdleDirection, string> = { downstream: "idle↓", upstream: "idle↑" };

/**
 * Measures the path's idle timeout in one direction: the ladder in parallel, then refinement
 * rounds inside the bracket, each round watched by a busy control connection. Once a period
 * has died, longer pending ones are cancelled: they would die too, and waiting for a silent
 * death costs their whole deadline.
 */
export async function measureIdleTimeout(
  direction: IdleDirection,
  endpoint: HoldEndpoint,
  options: IdleMeasurementOptions,
  progress: Progress,
): Promise<IdleMeasurement> {
  const started = Date.now();
  const survived: number[] = [];
  const died: number[] = [];
  const serverClosed: number[] = [];
  const control: ControlReport = { requests: 0, reconnects: 0 };
  const finish = (inconclusive?: string): IdleMeasurement => {
    const bracket = bracketOf(survived, died);
    const result: IdleTimeoutResult = { survivedS: sorted(survived), diedS: sorted(died), estimateS: estimateOf(bracket), direction };
    return {
      direction,
      result: inconclusive ? undefined : result,
      inconclusive,
      rounds,
      durationS: (Date.now() - started) / 1000,
      inconsistent: bracket.inconsistent,
      serverClosedS: sorted(serverClosed),
      control,
    };
  };

  let rounds = 0;
  let values = [...options.ladderS];
  while (values.length > 0) {
    rounds += 1;
    progress.step(ARROW[direction], `round ${rounds}: holding ${values.join(", ")} s idle in parallel`);
    const round = await runRound(TRIES[direction], endpoint, values);
    control.requests += round.control.requests;
    control.reconnects += round.control.reconnects;
    const failed = round.verdicts.find((v) => v.verdict === "failed");
    if (failed) return finish(`a try could not run: ${whyTryFailed(failed.errno)}`);
    if (round.control.failure) {
      control.failure = round.control.failure;
      return finish(`the busy control connection died too (${round.control.failure}): an outage or a connection-age limit, not an idle timeout`);
    }
    for (const v of round.verdicts) {
      if (v.verdict === "survived") survived.push(v.idleS);
      if (v.verdict === "died") died.push(v.idleS);
      if (v.verdict === "server_closed") serverClosed.push(v.idleS);
    }
    progress.step(ARROW[direction], describeRound(round.verdicts));
    const bracket = bracketOf(survived, died);
    if (rounds > options.refineRounds || isTight(bracket)) break;
    values = refinementPoints(bracket, options.refinePoints);
  }
  return finish();
}

async function runRound(tryOne: Try, endpoint: HoldEndpoint, values: number[]): Promise<{ verdicts: TryVerdict[]; control: ControlReport }> {
  const controlStop = new AbortController();
  const controlRun = keepControlBusy(endpoint, controlStop.signal);
  const tries = values.map((idleS) => ({ idleS, cancel: new AbortController() }));
  const verdicts = await Promise.all(
    tries.map(async ({ idleS, cancel }) => {
      const verdict = await tryOne(endpoint, idleS, cancel.signal);
      if (verdict.verdict === "died") {
        for (const other of tries) if (other.idleS > idleS) other.cancel.abort();
      }
      return verdict;
    }),
  );
  controlStop.abort();
  return { verdicts, control: await controlRun };
}

function describeRound(verdicts: TryVerdict[]): string {
  const list = (kind: TryVerdict["verdict"]) =>
    verdicts
      .filter((v) => v.verdict === kind)
      .map((v) => (v.errno ? `${v.idleS} (${v.errno})` : `${v.idleS}`))
      .join(", ");
  const parts = (["survived", "died", "server_closed", "cancelled"] as const)
    .map((kind) => [kind, list(kind)] as const)
    .filter(([, text]) => text.length > 0)
    .map(([kind, text]) => `${kind.replace("_", " ")} ${text}`);
  return parts.join("; ");
}

function whyTryFailed(errno = "EUNKNOWN"): string {
  if (errno === "HTTP_401" || errno === "HTTP_403") return `${errno}, is the key an ingest key?`;
  if (errno === "HTTP_404") return `${errno}, the server has no /api/v1/probe/hold (older version?)`;
  if (errno.startsWith("HTTP_")) return `the hold endpoint answered ${errno.slice(5)}`;
  if (/CERT|SELF_SIGNED|UNABLE_TO/.test(errno)) return `${errno}, the server's certificate is not trusted (--ca FILE or --insecure)`;
  return `${errno}, is the server reachable?`;
}

function sorted(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}
