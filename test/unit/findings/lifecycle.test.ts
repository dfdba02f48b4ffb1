// One test per row of the finding lifecycle table in lib/findings/lifecycle.ts.
import { describe, expect, test } from "vitest";
import type { FindingDraft } from "@/lib/analysis/types";
import type { EvidenceByKind } from "@/lib/contract/evidence";
import type { FindingKind } from "@/lib/contract/vocabulary";
import { evidenceFor } from "../../helpers/evidence";
import { DEFAULT_QUIET_MS, planFindings, type StoredFinding } from "@/lib/findings/lifecycle";

const NOW = Date.parse("2026-11-26T12:00:00Z");
const HOUR = 3_600_000;

type Over<K extends FindingKind> = Partial<Omit<FindingDraft, "kind" | "evidence">> & { kind?: K; evidence?: Partial<EvidenceByKind[K]> };
const IDLE: Partial<EvidenceByKind["idle_timeout"]> = { timeoutS: 900, mode: "reset", knownAs: "900 s", affectedDevices: ["d1", "d2"], affectedDeviceCount: 12, drops: 212, share: 0.88 };

function draft<K extends FindingKind = "idle_timeout">(over: Over<K> = {}): FindingDraft {
  const kind = over.kind ?? "idle_timeout";
  const evidence = evidenceFor<FindingKind>(kind, { ...(kind === "idle_timeout" ? IDLE : {}), ...over.evidence } as Partial<EvidenceByKind[FindingKind]>);
  return {
    scope: "site",
    scopeKey: "hamburg",
    site: "hamburg",
    device: null,
    severity: "warning",
    title: "15-minute idle timeout",
    summary: "212 of 240 drops after 900 ± 4 s idle",
    recommendation: "Keep-alive at most 405 s",
    firstSeen: NOW - 48 * HOUR,
    lastSeen: NOW - HOUR,
    ...over,
    kind,
    evidence,
  } as FindingDraft;
}

function stored<K extends FindingKind = "idle_timeout">(over: Partial<Omit<StoredFinding, "kind" | "evidence">> & { kind?: K; evidence?: Partial<EvidenceByKind[K]> } = {}): StoredFinding {
  const kind = over.kind ?? "idle_timeout";
  return {
    id: 1,
    scope: "site",
    scopeKey: "hamburg",
    key: "900s",
    status: "open",
    lastSeen: NOW - 2 * HOUR,
    resolvedAt: null,
    acknowledgedAt: null,
    ...over,
    kind,
    evidence: evidenceFor<FindingKind>(kind, { ...(kind === "idle_timeout" ? { timeoutS: 903, mode: "reset" } : {}), ...over.evidence } as Partial<EvidenceByKind[FindingKind]>),
  } as StoredFinding;
}

describe("finding lifecycle", () => {
  test("none + recent draft → created open", () => {
    const plan = planFindings([], [], [draft()], NOW);
    expect(plan.create).toEqual([{ draft: draft(), key: "900s", status: "open" }]);
    expect(plan.update).toEqual([]);
    expect(plan.resolve).toEqual([]);
  });

  test("none + a draft whose evidence is all old → created resolved, for the record", () => {
    const old = draft({ lastSeen: NOW - DEFAULT_QUIET_MS - HOUR });
    expect(planFindings([], [], [old], NOW).create).toEqual([{ draft: old, key: "900s", status: "resolved" }]);
  });

  test("none, last resolved at R + draft with evidence after R → a new open finding", () => {
    const plan = planFindings([], [stored({ status: "resolved", resolvedAt: NOW - 3 * HOUR })], [draft()], NOW);
    expect(plan.create).toHaveLength(1);
  });

  test("none, last resolved at R + draft whose evidence predates R → nothing", () => {
    const plan = planFindings([], [stored({ status: "resolved", resolvedAt: NOW - 30 * 60_000 })], [draft()], NOW);
    expect(plan).toEqual({ create: [], update: [], resolve: [], retract: [] });
  });

  test("open or acknowledged + recent draft of the same thing (timeout within 10 %) → updated, status kept", () => {
    for (const status of ["open", "acknowledged"] as const) {
      const plan = planFindings([stored({ status })], [], [draft()], NOW);
      expect(plan.update).toEqual([{ id: 1, draft: draft() }]);
      expect(plan.create).toEqual([]);
      expect(plan.resolve).toEqual([]);
    }
  });

  test("open + no draft → resolved automatically", () => {
    expect(planFindings([stored()], [], [], NOW).resolve).toEqual([1]);
  });

  test("open + a draft whose newest evidence is older than the quiet period → resolved", () => {
    const plan = planFindings([stored()], [], [draft({ lastSeen: NOW - DEFAULT_QUIET_MS - HOUR })], NOW);
    expect(plan.resolve).toEqual([1]);
    expect(plan.create).toEqual([]);
  });
});

describe("one story, one finding: outages a schedule explains", () => {
  const night = Date.parse("2026-11-24T02:03:00Z");
  const outage = (over: Parameters<typeof stored>[0] = {}) =>
    stored({ id: 7, kind: "outage", key: "o", status: "resolved", resolvedAt: night + 3 * HOUR, evidence: { start: new Date(night).toISOString(), end: new Date(night + 120_000).toISOString() }, ...over });
  const schedule = (timeOfDay: string, days = ["2026-11-24", "2026-11-25", "2026-11-26"]) =>
    draft({ kind: "scheduled_drop", evidence: { timeOfDay, days, dayCount: days.length } });

  test("outage, never acknowledged + a schedule recurring at its time on its day → retracted", () => {
    expect(planFindings([], [outage()], [schedule("02:00")], NOW).retract).toEqual([7]);
    const open = outage({ status: "open", resolvedAt: null });
    const plan = planFindings([open], [], [schedule("02:00")], NOW);
    expect(plan.retract).toEqual([7]);
    expect(plan.resolve).toEqual([]);
  });

  test("outage, acknowledged + the same schedule → resolved, kept for the record", () => {
    const acked = outage({ status: "acknowledged", resolvedAt: null, acknowledgedAt: night + HOUR });
    const plan = planFindings([acked], [], [schedule("02:00")], NOW);
    expect(plan.retract).toEqual([]);
    expect(plan.resolve).toEqual([7]);
  });

  test("an outage at another time of day, or on a day the schedule did not recur, stays", () => {
    expect(planFindings([], [outage()], [schedule("02:30")], NOW).retract).toEqual([]);
    expect(planFindings([], [outage()], [schedule("02:00", ["2026-11-25", "2026-11-26", "2026-11-27"])], NOW).retract).toEqual([]);
    expect(planFindings([], [outage({ scopeKey: "munich" })], [schedule("02:00")], NOW).retract).toEqual([]);
  });
});

describe("identity", () => {
  test("two drafts of one identity in a run (reset cluster at 900 s, cliff at 840 s) → one finding, the one with more drops", () => {
    const cliff = draft({ evidence: { timeoutS: 840, mode: "silent", drops: 30 } });
    const plan = planFindings([], [], [cliff, draft()], NOW);
    expect(plan.create).toEqual([{ draft: draft(), key: "900s", status: "open" }]);
    const tied = draft({ evidence: { timeoutS: 840, mode: "silent" } });
    expect(planFindings([], [], [tied, draft()], NOW).create.map((c) => c.key)).toEqual(["900s"]);
  });

  test("two clusters at one site are two findings", () => {
    const plan = planFindings([stored()], [], [draft(), draft({ evidence: { timeoutS: 3600 } })], NOW);
    expect(plan.update).toHaveLength(1);
    expect(plan.create.map((c) => c.key)).toEqual(["3600s"]);
  });

  test("two open clusters at one site (two middleboxes) both stay open; the one no longer found resolves alone", () => {
    const short = stored({ id: 1, key: "300s", evidence: { timeoutS: 301 } });
    const long = stored({ id: 2, key: "3600s", evidence: { timeoutS: 3598 } });
    const drafts = [draft({ evidence: { timeoutS: 3604 } }), draft({ evidence: { timeoutS: 300 } })];
    const both = planFindings([short, long], [], drafts, NOW);
    expect(both.update.map((u) => [u.id, u.draft.kind === "idle_timeout" && u.draft.evidence.timeoutS])).toEqual([[2, 3604], [1, 300]]);
    expect(both.create).toEqual([]);
    expect(both.resolve).toEqual([]);
    expect(planFindings([short, long], [], drafts.slice(1), NOW).resolve).toEqual([2]);
  });

  test("another site's cluster at the same value is another finding", () => {
    const plan = planFindings([stored()], [], [draft({ scopeKey: "munich", site: "munich" })], NOW);
    expect(plan.create).toHaveLength(1);
    expect(plan.resolve).toEqual([1]);
  });

  test("TLS interception is keyed by endpoint and issuer", () => {
    const tls = (issuer: string) =>
      draft({ kind: "tls_interception", evidence: { issuer, vendor: null, endpoint: "t.example.com:443", affectedDeviceCount: 2 } });
    const plan = planFindings(
      [stored({ kind: "tls_interception", key: "t.example.com:443|CN=Zscaler Root CA", evidence: {} })],
      [],
      [tls("CN=Zscaler Root CA"), tls("CN=Corp Proxy CA")],
      NOW,
    );
    expect(plan.update).toHaveLength(1);
    expect(plan.create.map((c) => c.key)).toEqual(["t.example.com:443|CN=Corp Proxy CA"]);
  });
});
