import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { batchesOf } from "@/lib/probe/delivery";
import { stampEvent, type ProbeEvent } from "@/lib/probe/events";
import type { Progress } from "@/lib/probe/progress";
import { EventSpool } from "@/lib/probe/spool";

function recordingProgress(): Progress & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, step: () => undefined, warn: (text) => warnings.push(text) };
}

function heartbeatLike(n: number): ProbeEvent[] {
  return Array.from({ length: n }, (_, i) =>
    stampEvent({ device: "probe-a", site: "lab" }, { type: "probe", kind: "reachability", result: { n: i } }),
  );
}

const spoolFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spool-unit-")), "nested", "spool.jsonl");

describe("EventSpool", () => {
  it("keeps events across instances (a restart) and removes only delivered ids", () => {
    const file = spoolFile();
    const events = heartbeatLike(3);
    new EventSpool(file, recordingProgress()).append(events);
    const reopened = new EventSpool(file, recordingProgress());
    expect(reopened.read()).toEqual(events);
    reopened.remove(new Set([events[1].id]));
    expect(reopened.read().map((e) => e.id)).toEqual([events[0].id, events[2].id]);
    reopened.remove(new Set([events[0].id, events[2].id]));
    expect(fs.existsSync(file)).toBe(false);
  });

  it("drops the oldest events beyond its capacity, with a warning", () => {
    const progress = recordingProgress();
    const spool = new EventSpool(spoolFile(), progress, 5);
    const events = heartbeatLike(7);
    spool.append(events.slice(0, 4));
    spool.append(events.slice(4));
    expect(spool.read().map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    expect(progress.warnings).toEqual([expect.stringContaining("dropped the 2 oldest")]);
  });

  it("skips a torn last line instead of failing", () => {
    const file = spoolFile();
    const progress = recordingProgress();
    const spool = new EventSpool(file, progress);
    const events = heartbeatLike(2);
    spool.append(events);
    fs.appendFileSync(file, '{"id":"half');
    expect(spool.read()).toEqual(events);
    expect(progress.warnings).toHaveLength(1);
  });
});

describe("batchesOf", () => {
  it("splits at 1000 events", () => {
    expect(batchesOf(heartbeatLike(2500)).map((b) => b.length)).toEqual([1000, 1000, 500]);
  });
  it("splits before the 1 MiB body limit", () => {
    const big = heartbeatLike(400).map((e) => ({ ...e, attrs: { note: "x".repeat(4000) } }));
    const batches = batchesOf(big);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(Buffer.byteLength(JSON.stringify({ events: batch }))).toBeLessThan(1024 * 1024);
    expect(batches.flat()).toEqual(big);
  });
});
