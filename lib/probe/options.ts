import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { IdleDirection } from "./events";
import { DEFAULT_LADDER_S, ladderUpTo } from "./idle-ladder";
import type { Environment } from "./environment";
import { proxyFor } from "./proxy";

export const DEFAULT_BAYEUX_PATH = "/notification/realtime";

export interface IdleOptions {
  directions: IdleDirection[];
  ladderS: number[];
  refineRounds: number;
  refinePoints: number;
}

export interface ProbeOptions {
  server: URL;
  key: string;
  device: string;
  site?: string;
  target: URL;
  /** Null: the funnel stops after HTTP (the target is not a Bayeux server). */
  bayeux: { path: string; user?: string; password?: string } | null;
  /** `--proxy` as given; "" after `--no-proxy`; undefined: the environment decides. */
  proxyFlag?: string;
  caFile?: string;
  insecure: boolean;
  /** Null after `--no-idle`. */
  idle: IdleOptions | null;
  connectTimeoutMs: number;
  once: boolean;
  intervalS: number;
  spoolFile: string;
  spoolMax: number;
}

export type ProbeCommand =
  | { kind: "help" }
  | { kind: "run"; options: ProbeOptions }
  | { kind: "usage_error"; message: string };

export interface OptionDefaults {
  hostname: string;
  /** Where the spool goes unless `--spool` says otherwise: next to the probe. */
  spoolDir: string;
}

export const HELP = `Linkscope probe: measures this site's path to the cloud and reports it to Linkscope.

Usage: node probe.mjs --server URL --key KEY [options]

  --server URL          Linkscope server (https://linkscope.example.com)
  --key KEY             ingest key (or env LINKSCOPE_KEY)
  --site SLUG           site of this probe (a-z, 0-9, -)
  --device ID           probe id (default probe-<hostname>)
  --target URL          endpoint the devices use, https://host[:port] (default: --server)
  --bayeux-path PATH    Bayeux long-polling path on the target (default ${DEFAULT_BAYEUX_PATH});
                        the Bayeux stage runs when --target or --bayeux-path is given
  --no-bayeux           stop the funnel after the HTTP stage
  --user U --password P basic-auth credentials for the Bayeux handshake; sent only over
                        a verified chain, never to an intercepting proxy
  --proxy URL           HTTP proxy (CONNECT), http://[USER:PASSWORD@]host:port; default
                        HTTPS_PROXY / https_proxy (HTTP_PROXY for http://), minus the hosts
                        in NO_PROXY (host, .domain, host:port, comma-separated)
  --no-proxy            ignore proxy environment variables
  --ca FILE             PEM trust anchors to accept besides Node's store (a private CA, or
                        the company's TLS-inspection CA once IT confirms it)
  --insecure            report to the server even when its chain is not trusted (sends the key!)
  --idle-max SECONDS    longest idle period to try (default 3600, at most 7200)
  --no-idle             skip the idle-timeout measurement
  --idle-direction D    downstream, upstream or both (default both)
  --ladder S,S,...      idle periods of the first round (default ${DEFAULT_LADDER_S.join(",")})
  --refine-rounds N     refinement rounds after the ladder (default 2)
  --refine-points N     parallel tries per refinement round (default 4)
  --connect-timeout S   DNS, TCP and TLS timeout per stage (default 10)
  --once                run once, report, exit (0: all good; 1: a check failed; 3: report spooled)
  --interval SECONDS    time between runs when not --once (default 3600)
  --spool FILE          queue for events the server has not taken yet (default next to the probe)
  --spool-max N         spool capacity in events (default 10000; oldest dropped)
  --help                this text
`;

const SITE_SLUG = /^[a-z0-9-]{1,64}$/;

const FLAGS = {
  server: { type: "string" },
  key: { type: "string" },
  site: { type: "string" },
  device: { type: "string" },
  target: { type: "string" },
  "bayeux-path": { type: "string" },
  "no-bayeux": { type: "boolean" },
  user: { type: "string" },
  password: { type: "string" },
  proxy: { type: "string" },
  "no-proxy": { type: "boolean" },
  ca: { type: "string" },
  insecure: { type: "boolean" },
  "idle-max": { type: "string" },
  "no-idle": { type: "boolean" },
  "idle-direction": { type: "string" },
  ladder: { type: "string" },
  "refine-rounds": { type: "string" },
  "refine-points": { type: "string" },
  "connect-timeout": { type: "string" },
  once: { type: "boolean" },
  interval: { type: "string" },
  spool: { type: "string" },
  "spool-max": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseProbeCommand(argv: string[], env: Environment, defaults: OptionDefaults): ProbeCommand {
  try {
    const { values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false });
    if (values.help) return { kind: "help" };
    const server = httpUrl("--server", values.server);
    const key = values.key ?? env.LINKSCOPE_KEY;
    if (!key) throw new UsageError("--key (or LINKSCOPE_KEY) is required");
    if (values.ca !== undefined && !readable(values.ca)) throw new UsageError(`--ca ${values.ca}: cannot read that file`);
    if (values.site !== undefined && !SITE_SLUG.test(values.site)) throw new UsageError(`--site ${values.site}: use a-z, 0-9 and -, at most 64 characters`);
    const target = values.target === undefined ? server : httpUrl("--target", values.target);
    const runBayeux = !values["no-bayeux"] && (values.target !== undefined || values["bayeux-path"] !== undefined);
    const idleMaxS = positiveNumber("--idle-max", values["idle-max"], 3600);
    // Proxy settings from the flag or the environment are checked now, not mid-run.
    const proxyFlag = values["no-proxy"] ? "" : values.proxy;
    proxyFor(server, proxyFlag, env);
    proxyFor(target, proxyFlag, env);
    const options: ProbeOptions = {
      server,
      key,
      device: values.device ?? `probe-${defaults.hostname.toLowerCase().replace(/[^a-z0-9.-]/g, "-")}`.slice(0, 128),
      site: values.site,
      target,
      bayeux: runBayeux
        ? { path: values["bayeux-path"] ?? DEFAULT_BAYEUX_PATH, user: values.user, password: values.password }
        : null,
      proxyFlag,
      caFile: values.ca,
      insecure: values.insecure ?? false,
      idle: values["no-idle"]
        ? null
        : {
            directions: idleDirections(values["idle-direction"]),
            ladderS: values.ladder === undefined ? ladderUpTo(idleMaxS) : ladderFrom(values.ladder, idleMaxS),
            refineRounds: wholeNumber("--refine-rounds", values["refine-rounds"], 2),
            refinePoints: Math.max(1, wholeNumber("--refine-points", values["refine-points"], 4)),
          },
      connectTimeoutMs: positiveNumber("--connect-timeout", values["connect-timeout"], 10) * 1000,
      once: values.once ?? false,
      intervalS: positiveNumber("--interval", values.interval, 3600),
      spoolFile: values.spool ?? path.join(defaults.spoolDir, "linkscope-probe-spool.jsonl"),
      spoolMax: Math.max(1, wholeNumber("--spool-max", values["spool-max"], 10_000)),
    };
    return { kind: "run", options };
  } catch (error) {
    return { kind: "usage_error", message: error instanceof Error ? error.message : String(error) };
  }
}

class UsageError extends Error {}

function readable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function httpUrl(flag: string, text: string | undefined): URL {
  if (text === undefined) throw new UsageError(`${flag} is required`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} ${text}: not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`${flag} ${text}: use https:// (or http://)`);
  return url;
}

function positiveNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} ${text}: expected a positive number of seconds`);
  return value;
}

function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${flag} ${text}: expected a whole number`);
  return value;
}

function idleDirections(text: string | undefined): IdleDirection[] {
  if (text === undefined || text === "both") return ["downstream", "upstream"];
  if (text === "downstream" || text === "upstream") return [text];
  throw new UsageError(`--idle-direction ${text}: use downstream, upstream or both`);
}

/** An explicit ladder (labs, tests) is taken as given, only bounded by --idle-max and the hold limits. */
function ladderFrom(text: string, idleMaxS: number): number[] {
  const rungs = text.split(",").map((part) => Number(part.trim()));
  if (rungs.some((rung) => !Number.isFinite(rung) || rung < 1 || rung > 7200)) {
    throw new UsageError(`--ladder ${text}: expected seconds between 1 and 7200, comma-separated`);
  }
  const kept = [...new Set(rungs.filter((rung) => rung <= idleMaxS))].sort((a, b) => a - b);
  if (kept.length === 0) throw new UsageError(`--ladder ${text}: no rung at or below --idle-max ${idleMaxS}`);
  return kept;
}
