import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeMain } from "@/lib/probe/main";
import { startLinkscopeStub, type LinkscopeStub } from "./helpers/linkscope-stub";
import { TEST_KEY, spooledEvents, tempSpool } from "./helpers/run-probe";

/** Continuous mode: between runs the spool is retried, as soon as the server's Retry-After allows. */
let stub: LinkscopeStub;
beforeAll(async () => {
  stub = await startLinkscopeStub(TEST_KEY);
});
afterAll(async () => {
  await stub?.close();
});

describe("the probe on a schedule", () => {
  it("retries spooled events after Retry-After and delivers them when storage is back", async () => {
    stub.eventsMode = "unavailable";
    const spool = tempSpool();
    const stop = new AbortController();
    let stderr = "";
    const running = probeMain(
      ["--server", stub.url, "--key", TEST_KEY, "--site", "lab", "--device", "probe-scheduled", "--no-idle", "--interval", "600", "--spool", spool],
      {
        env: {},
        hostname: "test-host",
        spoolDir: "/tmp",
        stop: stop.signal,
        stdout: () => undefined,
        stderr: (text) => {
          stderr += text;
        },
      },
    );
    await until(() => spooledEvents(spool).length > 0);
    const spooled = spooledEvents(spool);
    stub.eventsMode = "ok";
    await until(() => stub.events.length >= spooled.length);
    stop.abort();
    expect(await running).toBe(0);
    expect(stub.events.map((e) => e.id)).toEqual(spooled.map((e) => e.id));
    expect(spooledEvents(spool)).toEqual([]);
    expect(stderr).toContain("server answered 503");
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
