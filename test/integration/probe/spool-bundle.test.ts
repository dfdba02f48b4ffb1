import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, runProbeProcess, spooledEvents, tempSpool } from "./helpers/run-probe";

/**
 * The distributed artefact: scripts/build-probe.mjs bundles the probe into one file that runs
 * with plain Node. Each run below is its own process, so the spool must carry events across
 * restarts: server down → spooled; server up but storage down (503) → still spooled; then
 * delivered, once each, with their original ids.
 */
let probeFile: string;
let stub: LinkscopeStub | undefined;

beforeAll(() => {
  probeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-bundle-")), "probe.mjs");
  execFileSync(process.execPath, ["scripts/build-probe.mjs", "--outfile", probeFile], { stdio: "pipe" });
});
afterAll(async () => {
  await stub?.close();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the bundled probe (public/probe.mjs)", () => {
  it("is one file with no imports but node: built-ins, and prints its usage", async () => {
    const source = fs.readFileSync(probeFile, "utf8");
    expect(source.startsWith("#!/usr/bin/env node")).toBe(true);
    const imports = [...source.matchAll(/\bfrom\s+"([^"]+)"/g)].map((match) => match[1]);
    expect(imports.every((name) => name.startsWith("node:"))).toBe(true);
    const help = await runProbeProcess(probeFile, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: node probe.mjs --server URL --key KEY");
    const usage = await runProbeProcess(probeFile, ["--once"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--server is required");
  });

  it("spools while the server is down or failing, and delivers once with original ids after restarts", async () => {
    const port = await freePort();
    const spool = tempSpool();
    const args = ["--once", "--no-idle", "--server", `http://127.0.0.1:${port}`, "--key", TEST_KEY, "--site", "lab", "--device", "probe-spool", "--spool", spool];

    const down = await runProbeProcess(probeFile, args);
    expect(down.code).toBe(1);
    const firstSpooled = spooledEvents(spool);
    expect(firstSpooled.map((e) => e.type)).toEqual(["connect_failed", "probe"]);

    stub = await startLinkscopeStub(TEST_KEY, port);
    stub.eventsMode = "unavailable";
    const failing = await runProbeProcess(probeFile, args);
    expect(failing.code, failing.stderr).toBe(3);
    expect(failing.stderr).toContain("server answered 503");
    const secondSpooled = spooledEvents(spool);
    expect(secondSpooled.slice(0, 2)).toEqual(firstSpooled);
    expect(secondSpooled.length).toBeGreaterThan(2);
    expect(stub.events).toHaveLength(0);

    stub.eventsMode = "ok";
    const up = await runProbeProcess(probeFile, args);
    expect(up.code, up.stderr).toBe(0);
    expect(fs.existsSync(spool)).toBe(false);
    const delivered = new Map(stub.events.map((e) => [e.id, e]));
    for (const event of secondSpooled) expect(delivered.get(event.id)).toEqual(event);
    expect(stub.received.length).toBe(new Set(stub.received).size);
    expect(stub.rejected).toEqual([]);
    const thisRun = stub.events.filter((e) => !secondSpooled.some((spooled) => spooled.id === e.id));
    expect(thisRun.map((e) => e.type)).toEqual(["connect", "disconnect", "probe"]);
  });
});
