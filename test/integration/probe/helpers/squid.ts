// A real Squid (Debian's squid-openssl, 5.7 here) started by a test on loopback, with a config
// generated into a temp dir: a plain CONNECT proxy, ssl-bump peek + splice, or a full bump
// whose leaf certificates come from a CA made for the test; optionally demanding basic auth
// (basic_ncsa_auth with an htpasswd file written with `openssl passwd -apr1`).
//
// Missing Squid skips these suites with the reason; with CI=true or LINKSCOPE_REQUIRE_SQUID=1
// they fail instead (a silently skipped proxy test proves nothing).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, it } from "vitest";
import { createTestPki, type TestPki } from "./certs";

export const SQUID = process.env.LINKSCOPE_SQUID ?? "/usr/sbin/squid";
const HELPER_DIR = process.env.LINKSCOPE_SQUID_HELPERS ?? "/usr/lib/squid";
const CERTGEN = path.join(HELPER_DIR, "security_file_certgen");
const NCSA_AUTH = path.join(HELPER_DIR, "basic_ncsa_auth");

export function squidRequired(): boolean {
  return process.env.CI === "true" || process.env.LINKSCOPE_REQUIRE_SQUID === "1";
}

/** Why Squid cannot run these tests here, or null when it can. */
export function squidUnavailable(): string | null {
  if (!fs.existsSync(SQUID)) return `Squid is not installed at ${SQUID} (apt-get install -y squid-openssl)`;
  let version: string;
  try {
    version = execFileSync(SQUID, ["-v"], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    return `${SQUID} -v failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!version.includes("--with-openssl")) return `${SQUID} is built without OpenSSL, so it cannot ssl-bump (install squid-openssl, not squid)`;
  for (const helper of [CERTGEN, NCSA_AUTH]) {
    if (!fs.existsSync(helper)) return `Squid's helper ${helper} is missing (squid-openssl)`;
  }
  try {
    execFileSync("openssl", ["version"], { stdio: "pipe" });
  } catch {
    return "openssl is not installed (the tests make their CAs with it)";
  }
  return null;
}

/** `describe` that skips with the reason when Squid is missing, and fails instead when it is required. */
export function describeWithSquid(name: string, suite: () => void): void {
  const unavailable = squidUnavailable();
  if (!unavailable) {
    describe(name, suite);
  } else if (squidRequired()) {
    describe(name, () => {
      it("can run Squid (required here: CI=true or LINKSCOPE_REQUIRE_SQUID=1)", () => {
        throw new Error(`Squid is required but cannot run: ${unavailable}`);
      });
    });
  } else {
    console.warn(`${name}: skipped, ${unavailable}`);
    describe.skip(`${name} (skipped: ${unavailable})`, () => {
      it("needs Squid", () => undefined);
    });
  }
}

export type SquidMode =
  /** CONNECT tunnels only: TLS end to end, the proxy sees host and port. */
  | "tunnel"
  /** ssl-bump `peek` at the ClientHello, then `splice`: TLS still end to end. */
  | "splice"
  /** ssl-bump `peek`, `stare`, `bump`: TLS ends at the proxy, which mimics the origin's certificate with its own CA. */
  | "bump";

export interface SquidOptions {
  mode: SquidMode;
  /** What the proxy trusts for its own TLS to origins (bump). Without it a private origin fails: 503 ERR_SECURE_CONNECT_FAIL. */
  originCaFile?: string;
  /** Demand proxy basic auth (407 otherwise). */
  auth?: { user: string; password: string };
  /** Ports a CONNECT may reach (Squid port ACL syntax); others get 403 ERR_ACCESS_DENIED. Default: any. */
  connectPorts?: string;
  /** Subject of the bump CA (mode bump or splice). */
  caSubject?: string;
}

export interface Squid {
  port: number;
  /** `host:port`, as the probe labels a proxy. */
  label: string;
  /** `http://127.0.0.1:port`, optionally with credentials. */
  url(credentials?: { user: string; password: string }): string;
  /** The CA the proxy signs its leaves with (bump and splice). */
  ca?: TestPki;
  /** Lines of Squid's access log so far (one per request or tunnel). */
  accessLog(): string[];
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

let instances = 0;

export async function startSquid(options: SquidOptions): Promise<Squid> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (error) {
      // Another process can take the free port between the probe for it and Squid's bind.
      if (attempt >= 3 || !String(error).includes("Address already in use")) throw error;
    }
  }
}

async function startOnce(options: SquidOptions): Promise<Squid> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-squid-"));
  const file = (name: string) => path.join(dir, name);
  const port = await freePort();
  const bumping = options.mode !== "tunnel";
  const ca = bumping ? createTestPki({ caSubject: options.caSubject ?? "/O=Linkscope Tests/CN=Linkscope Test Proxy CA" }) : undefined;
  const lines = [`http_port 127.0.0.1:${port}`];
  if (ca) {
    // Squid reads these after it drops root: copies inside its own directory.
    fs.copyFileSync(ca.caFile, file("bump-ca.pem"));
    fs.copyFileSync(ca.caKeyFile, file("bump-ca.key"));
    execFileSync(CERTGEN, ["-c", "-s", file("ssl_db"), "-M", "4MB"], { stdio: "pipe" });
    lines[0] += ` ssl-bump tls-cert=${file("bump-ca.pem")} tls-key=${file("bump-ca.key")} generate-host-certificates=on dynamic_cert_mem_cache_size=4MB`;
    lines.push(
      `sslcrtd_program ${CERTGEN} -s ${file("ssl_db")} -M 4MB`,
      "sslcrtd_children 2 startup=1 idle=1",
      "acl step1 at_step SslBump1",
      "acl step2 at_step SslBump2",
      "ssl_bump peek step1",
      ...(options.mode === "splice" ? ["ssl_bump splice all"] : ["ssl_bump stare step2", "ssl_bump bump all"]),
    );
  }
  if (options.originCaFile) {
    fs.copyFileSync(options.originCaFile, file("origin-ca.pem"));
    lines.push(`tls_outgoing_options cafile=${file("origin-ca.pem")}`);
  }
  if (options.auth) {
    const hash = execFileSync("openssl", ["passwd", "-apr1", options.auth.password], { encoding: "utf8" }).trim();
    fs.writeFileSync(file("htpasswd"), `${options.auth.user}:${hash}\n`);
    lines.push(
      `auth_param basic program ${NCSA_AUTH} ${file("htpasswd")}`,
      "auth_param basic realm Linkscope test proxy",
      "auth_param basic children 2 startup=1 idle=1",
      "acl authenticated proxy_auth REQUIRED",
    );
  }
  lines.push(
    "acl CONNECT method CONNECT",
    `acl tunnel_ports port ${options.connectPorts ?? "1-65535"}`,
    "http_access deny CONNECT !tunnel_ports",
    options.auth ? "http_access allow localhost authenticated" : "http_access allow localhost",
    "http_access deny all",
    "cache deny all",
    "cache_mem 8 MB",
    `pid_filename ${file("squid.pid")}`,
    `access_log stdio:${file("access.log")}`,
    `cache_log ${file("cache.log")}`,
    "cache_store_log none",
    `coredump_dir ${dir}`,
    "netdb_filename none",
    "icp_port 0",
    "htcp_port 0",
    "pinger_enable off",
    "shutdown_lifetime 0 seconds",
    "visible_hostname linkscope-test-squid",
  );
  if (process.getuid?.() === 0) {
    // Squid started as root runs as cache_effective_user, which must own its files.
    const user = ["proxy", "nobody"].find((name) => idOf(name) !== undefined) ?? "nobody";
    lines.push(`cache_effective_user ${user}`);
    const uid = idOf(user) ?? 65534;
    const gid = Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
    chownTree(dir, uid, gid);
  }
  fs.writeFileSync(file("squid.conf"), `${lines.join("\n")}\n`);
  fs.chmodSync(dir, 0o755);

  instances += 1;
  const child = spawn(SQUID, ["-N", "-f", file("squid.conf"), "-n", `lsq${process.pid}x${instances}`], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  exited.then(() => running.delete(child));

  const log = () => `${output}${readIfThere(file("cache.log")).split("\n").slice(-15).join("\n")}`;
  const ready = await Promise.race([untilListening(port, 20_000).then(() => true), exited.then(() => false)]);
  if (!ready) throw new Error(`squid (${options.mode}) did not start:\n${log()}`);

  return {
    port,
    label: `127.0.0.1:${port}`,
    url: (credentials) => `http://${credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : ""}127.0.0.1:${port}`,
    ca,
    accessLog: () => readIfThere(file("access.log")).split("\n").filter((line) => line.length > 0),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
      if (ca) fs.rmSync(ca.dir, { recursive: true, force: true });
    },
  };
}

function idOf(user: string): number | undefined {
  try {
    return Number(execFileSync("id", ["-u", user], { encoding: "utf8", stdio: "pipe" }).trim());
  } catch {
    return undefined;
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else fs.chownSync(full, uid, gid);
  }
}

function readIfThere(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function untilListening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
