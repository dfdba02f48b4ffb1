import { describe, expect, it } from "vitest";
import { parseProbeCommand, type ProbeCommand, type ProbeOptions } from "@/lib/probe/options";

const defaults = { hostname: "Edge_Box.local", spoolDir: "/opt/probe/" };
const required = ["--server", "https://linkscope.example.com", "--key", "lsk_abc"];

function run(argv: string[], env: Record<string, string> = {}): ProbeOptions {
  const command = parseProbeCommand(argv, env, defaults);
  if (command.kind !== "run") throw new Error(`expected a run, got ${JSON.stringify(command)}`);
  return command.options;
}

function usageError(argv: string[], env: Record<string, string> = {}): string {
  const command: ProbeCommand = parseProbeCommand(argv, env, defaults);
  if (command.kind !== "usage_error") throw new Error(`expected a usage error, got ${command.kind}`);
  return command.message;
}

describe("parseProbeCommand", () => {
  it("answers --help before checking anything else", () => {
    expect(parseProbeCommand(["--help"], {}, defaults)).toEqual({ kind: "help" });
  });

  it("defaults: target = server, no Bayeux stage, full ladder both ways, spool next to the probe", () => {
    const options = run(required);
    expect(options.target.href).toBe("https://linkscope.example.com/");
    expect(options.bayeux).toBeNull();
    expect(options.device).toBe("probe-edge-box.local");
    expect(options.idle).toEqual({ directions: ["downstream", "upstream"], ladderS: [30, 60, 120, 240, 350, 600, 900, 1200, 1800, 3600], refineRounds: 2, refinePoints: 4 });
    expect(options.spoolFile).toBe("/opt/probe/linkscope-probe-spool.jsonl");
    expect(options.connectTimeoutMs).toBe(10_000);
    expect(options.once).toBe(false);
  });

  it("takes the key from LINKSCOPE_KEY and requires one", () => {
    expect(run(["--server", "https://x.example"], { LINKSCOPE_KEY: "lsk_env" }).key).toBe("lsk_env");
    expect(usageError(["--server", "https://x.example"])).toContain("--key");
  });

  it("runs the Bayeux stage when a target or a Bayeux path is given", () => {
    expect(run([...required, "--target", "https://tenant.c8y.example"]).bayeux).toEqual({ path: "/notification/realtime", user: undefined, password: undefined });
    expect(run([...required, "--bayeux-path", "/cometd"]).bayeux?.path).toBe("/cometd");
    expect(run([...required, "--target", "https://tenant.c8y.example", "--no-bayeux"]).bayeux).toBeNull();
  });

  it("bounds an explicit ladder by --idle-max without adding rungs", () => {
    expect(run([...required, "--ladder", "8,1,2,4"]).idle?.ladderS).toEqual([1, 2, 4, 8]);
    expect(run([...required, "--ladder", "1,2,4,8", "--idle-max", "3"]).idle?.ladderS).toEqual([1, 2]);
    expect(run([...required, "--idle-max", "700"]).idle?.ladderS).toEqual([30, 60, 120, 240, 350, 600, 700]);
    expect(usageError([...required, "--ladder", "0.5,2"])).toContain("--ladder");
  });

  it("turns the idle measurement off or to one direction", () => {
    expect(run([...required, "--no-idle"]).idle).toBeNull();
    expect(run([...required, "--idle-direction", "upstream"]).idle?.directions).toEqual(["upstream"]);
    expect(usageError([...required, "--idle-direction", "sideways"])).toContain("--idle-direction");
  });

  it("rejects bad input with a message, not an exception", () => {
    expect(usageError([...required, "--site", "Hamburg Nord"])).toContain("--site");
    expect(usageError(["--server", "ftp://x", "--key", "k"])).toContain("https://");
    expect(usageError([...required, "--bogus"])).toContain("bogus");
    expect(usageError([...required, "--interval", "-5"])).toContain("--interval");
    expect(usageError(required, { HTTPS_PROXY: "https://proxy.corp:8443" })).toContain("only http:// proxies");
    expect(usageError([...required, "--ca", "/nonexistent/ca.pem"])).toContain("cannot read");
  });
});
