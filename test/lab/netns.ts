// Network namespaces for the probe lab: a server namespace (the app), and per scenario a
// "line" of client namespace ↔ middle namespace (a router with nftables and conntrack) ↔ server.
// Every address is a private 10.231.x.y on veths made here, inside namespaces made here:
// nothing is routed to or from the host's own network, and the root namespace is not touched.
import { execFile, execFileSync, spawnSync, type ExecFileException } from "node:child_process";
import fs from "node:fs";

/** Why the lab cannot run on this machine, or null when it can. */
export function labUnavailable(): string | null {
  if (process.platform !== "linux") return `network namespaces need Linux (this is ${process.platform})`;
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "not running as root (ip netns, veth and nftables need root)";
  for (const [tool, args, pkg] of [
    ["ip", ["-V"], "iproute2"],
    ["nft", ["--version"], "nftables"],
  ] as const) {
    const found = spawnSync(tool, args, { stdio: "ignore" });
    if (found.error || found.status !== 0) return `\`${tool}\` is not installed (apt-get install ${pkg})`;
  }
  // Root inside a container may still lack CAP_SYS_ADMIN / CAP_NET_ADMIN: try the real thing.
  const ns = `lslab-${process.pid}-check`;
  try {
    run("ip", ["netns", "add", ns]);
    run("ip", ["-n", ns, "link", "add", "name", "a", "type", "veth", "peer", "name", "b"]);
    nft(ns, "table inet check { chain f { type filter hook forward priority filter; ct state invalid drop; }; }");
    setSysctl(ns, "net.netfilter.nf_conntrack_tcp_timeout_established", 30);
    return null;
  } catch (error) {
    return `cannot build namespaces here: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
  } finally {
    spawnSync("ip", ["netns", "del", ns], { stdio: "ignore" });
  }
}

/** Runs a command, returns its stdout; throws with its stderr when it fails. */
export function run(cmd: string, args: string[], input?: string): string {
  try {
    return execFileSync(cmd, args, { input, stdio: ["pipe", "pipe", "pipe"], encoding: "utf8" });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${cmd} ${args.join(" ")} failed${stderr ? `: ${stderr}` : ""}`);
  }
}

export function nft(ns: string, ruleset: string): void {
  run("ip", ["netns", "exec", ns, "nft", "-f", "-"], ruleset);
}

/** Sysctls under net.* are per namespace; written through /proc inside it (no procps needed). */
export function setSysctl(ns: string, key: string, value: number): void {
  if (!/^[a-z0-9_.]+$/.test(key)) throw new Error(`bad sysctl name ${key}`);
  run("ip", ["netns", "exec", ns, "sh", "-c", `echo ${Math.round(value)} > /proc/sys/${key.replaceAll(".", "/")}`]);
}

export function getSysctl(ns: string, key: string): string {
  return run("ip", ["netns", "exec", ns, "cat", `/proc/sys/${key.replaceAll(".", "/")}`]).trim();
}

/** What the middle does to traffic of one line. */
export interface MiddleRules {
  /** conntrack's established timeout: idle flows are forgotten silently after this. */
  idleTimeoutS?: number;
  /** SYNs to this server port are dropped (no answer) or rejected (TCP RST). */
  block?: { port: number; how: "drop" | "reject" };
}

export interface Line {
  name: string;
  client: string;
  middle: string;
  clientIp: string;
  rules: MiddleRules;
}

export const SERVER_IP = "10.231.0.1";

/** One lab: its namespaces carry this process's pid, so parallel runs never clash. */
export class Lab {
  readonly prefix = `lslab-${process.pid}`;
  readonly server: string;
  private readonly namespaces: string[] = [];
  private lines = 0;
  private readonly onExit = () => this.destroySync();
  /** Interrupted (Ctrl-C, the runner ending its worker): clean up, then die of the same signal. */
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.destroySync();
    process.kill(process.pid, signal);
  };

  constructor() {
    // A run killed outright (SIGKILL) leaves its namespaces: the next run removes them.
    removeStaleLabs();
    process.once("exit", this.onExit);
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
    this.server = this.namespace("srv");
    run("ip", ["-n", this.server, "link", "set", "lo", "up"]);
    // The server's one address lives on its loopback; each line reaches it through its middle.
    run("ip", ["-n", this.server, "addr", "add", `${SERVER_IP}/32`, "dev", "lo"]);
    setSysctl(this.server, "net.ipv4.ip_forward", 0);
  }

  private namespace(suffix: string): string {
    const ns = `${this.prefix}-${suffix}`;
    run("ip", ["netns", "add", ns]);
    this.namespaces.push(ns);
    return ns;
  }

  /**
   * client (10.231.<10+i>.2) ↔ middle (10.231.<10+i>.1 | 10.231.<100+i>.2) ↔ server (10.231.<100+i>.1, and 10.231.0.1).
   * The middle forwards only flows the client opened with a SYN and forgets idle ones.
   */
  addLine(name: string, rules: MiddleRules): Line {
    const i = ++this.lines;
    const client = this.namespace(`${name}-cli`);
    const middle = this.namespace(`${name}-mid`);
    const [c, m] = [`10.231.${10 + i}`, `10.231.${100 + i}`];
    for (const ns of [client, middle]) run("ip", ["-n", ns, "link", "set", "lo", "up"]);
    // veths are created inside the namespaces, so their names never meet in the root namespace.
    run("ip", ["-n", client, "link", "add", "name", "tomid", "type", "veth", "peer", "name", "tocli", "netns", middle]);
    run("ip", ["-n", middle, "link", "add", "name", "tosrv", "type", "veth", "peer", "name", `l${i}`, "netns", this.server]);
    const links: [string, string, string][] = [
      [client, "tomid", `${c}.2/24`],
      [middle, "tocli", `${c}.1/24`],
      [middle, "tosrv", `${m}.2/24`],
      [this.server, `l${i}`, `${m}.1/24`],
    ];
    for (const [ns, dev, addr] of links) {
      run("ip", ["-n", ns, "addr", "add", addr, "dev", dev]);
      run("ip", ["-n", ns, "link", "set", dev, "up"]);
    }
    run("ip", ["-n", client, "route", "add", `${SERVER_IP}/32`, "via", `${c}.1`]);
    run("ip", ["-n", middle, "route", "add", `${SERVER_IP}/32`, "via", `${m}.1`]);
    run("ip", ["-n", this.server, "route", "add", `${c}.0/24`, "via", `${m}.2`]);

    const block = rules.block
      ? `ip daddr ${SERVER_IP} tcp dport ${rules.block.port} counter ${rules.block.how === "drop" ? "drop" : "reject with tcp reset"}`
      : "";
    // Policy drop: a packet of a flow conntrack no longer knows is `invalid` (tcp_loose=0) or at
    // best a non-SYN `new`; neither is accepted, and nothing answers it: the silent middlebox.
    nft(
      middle,
      `table inet lab {
        chain forward {
          type filter hook forward priority filter; policy drop;
          ct state established,related accept
          ${block}
          iifname "tocli" tcp flags & (fin|syn|rst|ack) == syn ct state new accept
        }
      }`,
    );
    // The conntrack sysctls exist once the ruleset above has loaded conntrack in this namespace.
    setSysctl(middle, "net.netfilter.nf_conntrack_tcp_loose", 0);
    if (rules.idleTimeoutS !== undefined) setSysctl(middle, "net.netfilter.nf_conntrack_tcp_timeout_established", rules.idleTimeoutS);
    setSysctl(middle, "net.ipv4.ip_forward", 1);
    return { name, client, middle, clientIp: `${c}.2`, rules };
  }

  /** `ip netns exec <ns> cmd args` asynchronously, with a clean environment. */
  exec(ns: string, cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 300_000): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        "ip",
        ["netns", "exec", ns, cmd, ...args],
        { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_ENV: process.env.NODE_ENV, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, killSignal: "SIGKILL", encoding: "utf8" },
        (error: ExecFileException | null, stdout: string, stderr: string) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  }

  /** conntrack's view of a middle (diagnostics when a measurement goes wrong). */
  conntrackTable(ns: string): string {
    const listed = spawnSync("ip", ["netns", "exec", ns, "conntrack", "-L"], { encoding: "utf8" });
    return listed.error ? "(conntrack tool not installed)" : `${listed.stdout}${listed.stderr}`;
  }

  /** Ends the processes still running inside this lab's namespaces, then deletes the namespaces. */
  destroySync(): void {
    process.removeListener("exit", this.onExit);
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
    for (const ns of this.namespaces) killInside(ns);
    for (const ns of this.namespaces.splice(0).reverse()) spawnSync("ip", ["netns", "del", ns], { stdio: "ignore" });
  }
}

/** Pids of the processes inside a namespace this lab made (the app, probes, helpers). */
function killInside(ns: string): void {
  const listed = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" });
  for (const pid of (listed.stdout ?? "").split(/\s+/).filter(Boolean).map(Number)) {
    if (pid > 1 && pid !== process.pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
}

/** Namespaces of earlier lab runs whose test process is gone (killed before its cleanup ran). */
function removeStaleLabs(): void {
  let names: string[];
  try {
    names = fs.readdirSync("/run/netns");
  } catch {
    return;
  }
  for (const ns of names) {
    const match = /^lslab-(\d+)-/.exec(ns);
    if (!match || Number(match[1]) === process.pid || alive(Number(match[1]))) continue;
    killInside(ns);
    spawnSync("ip", ["netns", "del", ns], { stdio: "ignore" });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
