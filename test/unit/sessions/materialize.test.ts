// One test per row of the session state table in lib/sessions/materialize.ts.
import { describe, expect, test } from "vitest";
import { materializeSessions, type LifecycleEvent } from "@/lib/sessions/materialize";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const s = (sec: number) => T0 + sec * 1000;
let n = 0;
const connect = (session: string, at: number): LifecycleEvent => ({ type: "connect", eventId: `c${n++}`, at, session, siteId: 1, endpoint: "tenant.example.com:443" });
const disconnect = (session: string, at: number, extra: Partial<LifecycleEvent> = {}): LifecycleEvent => ({
  type: "disconnect",
  eventId: `d${n++}`,
  at,
  session,
  siteId: 1,
  reason: "reset",
  ...extra,
});
const heartbeat = (at: number, intervalS?: number): LifecycleEvent => ({ type: "heartbeat", eventId: `h${n++}`, at, session: null, siteId: 1, intervalS });
const NOW = s(100_000);

describe("session state table", () => {
  test("disconnect at or before the next connect ends the session with its reason and numbers", () => {
    const rows = materializeSessions(
      [connect("a", s(0)), disconnect("a", s(905), { idleS: 900, maxIdleS: 600, errno: "ECONNRESET" }), connect("b", s(910))],
      NOW,
    );
    expect(rows[0]).toMatchObject({ session: "a", start: s(0), end: s(905), durationS: 905, endReason: "reset", idleS: 900, maxIdleS: 600, errno: "ECONNRESET" });
    expect(rows[1]).toMatchObject({ session: "b", end: null, endReason: null });
  });

  test("a heartbeat gap over twice the declared interval ends the session at the last sign of life", () => {
    const rows = materializeSessions([connect("a", s(0)), heartbeat(s(60), 60), heartbeat(s(120), 60), heartbeat(s(400), 60)], NOW);
    expect(rows).toEqual([expect.objectContaining({ session: "a", end: s(120), endReason: "inferred", durationS: 120 })]);
  });

  test("heartbeats that stop before now also end the session as inferred", () => {
    const rows = materializeSessions([connect("a", s(0)), heartbeat(s(60), 60)], NOW);
    expect(rows[0]).toMatchObject({ end: s(60), endReason: "inferred" });
  });

  test("a newer connect supersedes a session with no disconnect", () => {
    const rows = materializeSessions([connect("a", s(0)), connect("b", s(50)), disconnect("a", s(70))], NOW);
    expect(rows[0]).toMatchObject({ session: "a", end: s(50), endReason: "superseded", durationS: 50 });
  });

  test("a session with neither stays open", () => {
    const rows = materializeSessions([connect("a", s(0)), heartbeat(s(99_990), 60)], NOW);
    expect(rows[0]).toMatchObject({ end: null, endReason: null, lastLife: s(99_990), intervalS: 60 });
  });

  test("a device that never declared an interval has no inferred ends", () => {
    const rows = materializeSessions([connect("a", s(0)), heartbeat(s(10)), heartbeat(s(50_000))], NOW);
    expect(rows[0]).toMatchObject({ end: null, endReason: null });
  });
});

describe("order and duplicates", () => {
  test("the same events in any order, repeated, give the same rows", () => {
    const events = [connect("a", s(0)), heartbeat(s(30), 30), disconnect("a", s(95), { idleS: 40 }), connect("b", s(100)), heartbeat(s(130), 30)];
    const expected = materializeSessions(events, NOW);
    const shuffled = [...events, events[2], events[0]].reverse();
    expect(materializeSessions(shuffled, NOW)).toEqual(expected);
  });

  test("a disconnect without its connect makes a row that started durationS earlier", () => {
    const rows = materializeSessions([disconnect("x", s(1000), { durationS: 300, reason: "timeout" })], NOW);
    expect(rows[0]).toMatchObject({ session: "x", start: s(700), end: s(1000), durationS: 300, endReason: "timeout" });
  });
});
