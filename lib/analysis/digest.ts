/**
 * The analysis digest: what the window detectors (idle timeouts, connection lifetimes, daily
 * schedules) need from a week of sessions, kept as counts instead of rows. Every session
 * contributes a handful of counted keys that depend on that session alone
 * (`sessionContributions`), so the digest is a sum: the analysis worker keeps it up to date by
 * adding a new or changed session's keys and subtracting its old ones (lib/findings/digest),
 * in any order, and a digest built in one go from the stored sessions is the same.
 *
 * Values are quantized: idle times and ages to fine logarithmic bins (0.2 %, well inside the
 * detectors' ±1.25 % windows), survived gaps to whole seconds (0.1 % above 1,000 s), times
 * to the minute of day, five-minute moments or days. The detectors read values at a bin's
 * centre, so the digest and raw sessions judged through `binned` agree exactly.
 *
 * Cells: a session counts under its site, its egress address, and (without either) its device —
 * the finest place an analysis scope (lib/analysis/scopes.ts) is built from.
 */
import { DROP_REASONS, isDropReason, type EndReason } from "@/lib/contract/vocabulary";
import type { SessionRecord } from "./types";

export const DAY_MS = 86_400_000;
export const MOMENT_MS = 5 * 60_000;
const MOMENTS_PER_DAY = DAY_MS / MOMENT_MS;

/** Bin bases: fine value bins (0.2 %) and coarse ones (2.5 %, for who and when). */
export const FINE = Math.log(1.002);
export const COARSE = Math.log(1.025);
/** The width of a fine bin, relative: a value read back is within half of it of the truth. */
export const FINE_RESOLUTION = Math.expm1(FINE);

/** The bin of a drop that reported no time at all (it still counts among its scope's drops). */
export const NO_BIN = -1_000_000;

export function bin(x: number, base: number): number {
  return Math.round(Math.log(Math.max(x, 0.001)) / base);
}

export function binValue(b: number, base: number): number {
  return Math.exp(b * base);
}

/** A value as the digest keeps it: the centre of its fine bin. */
export function binned(x: number): number {
  return binValue(bin(x, FINE), FINE);
}

/** The fine bins of a coarse bin: [first, last]. */
export function fineBinsOf(coarse: number): [number, number] {
  const lo = Math.exp((coarse - 0.5) * COARSE);
  const hi = Math.exp((coarse + 0.5) * COARSE);
  return [bin(lo, FINE), bin(hi, FINE)];
}

/** Does coarse bin `coarse` reach into the value range [lo, hi]? */
export function coarseMeets(coarse: number, lo: number, hi: number): boolean {
  return Math.exp((coarse - 0.5) * COARSE) <= hi && Math.exp((coarse + 0.5) * COARSE) >= lo;
}

/** Survived gaps: whole seconds up to 1,000 s (the cliff test compares ties of a second), 0.1 % bins above. */
const SURVIVED_LINEAR = 1000;
const SURVIVED_LOG = Math.log(1.001);
export function survivedBin(x: number): number {
  if (x < SURVIVED_LINEAR - 0.5) return Math.round(x);
  return SURVIVED_LINEAR + Math.round(Math.log(x / SURVIVED_LINEAR) / SURVIVED_LOG);
}
export function survivedValue(b: number): number {
  return b < SURVIVED_LINEAR ? b : SURVIVED_LINEAR * Math.exp((b - SURVIVED_LINEAR) * SURVIVED_LOG);
}

/** What a drop's idle time is taken to be: idleS, else the whole session. */
export function dropIdleS(s: Pick<SessionRecord, "idleS" | "durationS">): number | null {
  return s.idleS ?? s.durationS;
}

/** Endings a fixed connection age can cause: a clean close counts, as the far end closing on purpose. */
export const LIFETIME_REASONS: ReadonlySet<EndReason> = new Set<EndReason>(["server_closed", ...DROP_REASONS]);

export interface Cell {
  site: string | null;
  publicIp: string | null;
  /** only for sessions with neither site nor egress address */
  device: string;
}

export function cellOf(s: Pick<SessionRecord, "site" | "publicIp" | "device">): Cell {
  return { site: s.site, publicIp: s.publicIp || null, device: s.site === null && !s.publicIp ? s.device : "" };
}

export function cellKey(c: Cell): string {
  return `${c.site ?? ""}\u0001${c.publicIp ?? ""}\u0001${c.device}`;
}

export function parseCellKey(key: string): Cell {
  const [site, publicIp, device] = key.split("\u0001");
  return { site: site || null, publicIp: publicIp || null, device };
}

/**
 * The kinds of counted keys, all for sessions that ended in the window:
 * - `ended`: any ending, by day (the days a scope was observed);
 * - `idle`: a drop's idle time in fine bins (NO_BIN without one), by day and end reason;
 *   flags 1: the session had survived a longer idle gap before, which contradicts a reset timeout;
 * - `age`: a lifetime-eligible ending's age in fine bins, by day and end reason; aux: its idle
 *   time's coarse bin (NO_BIN unknown); flags 2: idle ≥ 0.9 × age, a death at the first idle gap;
 * - `idleDevice`: which devices hold those drops (fine bins; flags 1: a `timeout` ending);
 * - `ageDevice`: which devices hold those endings (coarse bins);
 * - `idleMoment`, `ageMoment`: when, in five-minute moments (coarse bins; flags 1: `timeout`);
 * - `survived`: a session's longest survived idle gap, per device and day;
 * - `clock`: a drop's minute of day, per day, with its idle time's fine bin in aux (the schedule scan).
 */
export const DIGEST_KINDS = ["ended", "idle", "age", "idleDevice", "ageDevice", "idleMoment", "ageMoment", "survived", "clock"] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];

export interface Contribution {
  kind: DigestKind;
  cell: string;
  /** day index since the epoch, or the five-minute moment for the moment kinds */
  t: number;
  /** a value's bin; the minute of day for `clock`; 0 for `ended` */
  bin: number;
  /** the end reason (`idle`, `age`); "" else */
  reason: string;
  flags: number;
  /** `age`: the idle time's coarse bin; `clock`: the idle time's fine bin; 0 else */
  aux: number;
  /** the device (`idleDevice`, `ageDevice`, `survived`); "" else */
  device: string;
}

export interface DigestRow extends Contribution {
  n: number;
}

function c(kind: DigestKind, cell: string, t: number, fields: Partial<Omit<Contribution, "kind" | "cell" | "t">>): Contribution {
  return { kind, cell, t, bin: fields.bin ?? 0, reason: fields.reason ?? "", flags: fields.flags ?? 0, aux: fields.aux ?? 0, device: fields.device ?? "" };
}

/**
 * The counted keys one ended session adds to the digest (each counts 1); none while it is
 * open. `cell` and `device` name the session's cell and device in the rows (callers that sum
 * many sessions pass short interned names).
 */
export function sessionContributions(s: SessionRecord, cell = cellKey(cellOf(s)), device = s.device): Contribution[] {
  if (s.end === null || s.endReason === null) return [];
  const day = Math.floor(s.end / DAY_MS);
  const moment = Math.floor(s.end / MOMENT_MS);
  const out: Contribution[] = [c("ended", cell, day, {})];
  if (s.maxIdleS !== null && s.maxIdleS > 0) out.push(c("survived", cell, day, { bin: survivedBin(s.maxIdleS), device }));
  if (isDropReason(s.endReason)) {
    const x = dropIdleS(s);
    const timeout = s.endReason === "timeout" ? 1 : 0;
    const fine = x === null ? NO_BIN : bin(x, FINE);
    const contra = x !== null && s.maxIdleS !== null && s.maxIdleS > x + 0.5 ? 1 : 0;
    out.push(
      c("idle", cell, day, { bin: fine, reason: s.endReason, flags: contra }),
      c("idleDevice", cell, day, { bin: fine, flags: timeout, device }),
      c("clock", cell, day, { bin: Math.floor((((s.end % DAY_MS) + DAY_MS) % DAY_MS) / 60_000), aux: fine }),
    );
    if (x !== null) out.push(c("idleMoment", cell, moment, { bin: bin(x, COARSE), flags: timeout }));
  }
  if (LIFETIME_REASONS.has(s.endReason) && s.durationS !== null) {
    const firstIdleDeath = s.idleS !== null && s.idleS >= 0.9 * s.durationS ? 2 : 0;
    const coarse = bin(s.durationS, COARSE);
    out.push(
      c("age", cell, day, { bin: bin(s.durationS, FINE), reason: s.endReason, flags: firstIdleDeath, aux: s.idleS === null ? NO_BIN : bin(s.idleS, COARSE) }),
      c("ageDevice", cell, day, { bin: coarse, device }),
      c("ageMoment", cell, moment, { bin: coarse }),
    );
  }
  return out;
}

/** One counted key's identity (the row key in storage). */
export function contributionKey(x: Contribution): string {
  return `${x.kind}\u0002${x.cell}\u0002${x.t}\u0002${x.bin}\u0002${x.reason}\u0002${x.flags}\u0002${x.aux}\u0002${x.device}`;
}

/** The day a row counts on (moments are five-minute steps). */
export function rowDay(r: Pick<Contribution, "kind" | "t">): number {
  return r.kind === "idleMoment" || r.kind === "ageMoment" ? Math.floor(r.t / MOMENTS_PER_DAY) : r.t;
}

/** The first day of the analysis window ending at `now`: the seven days before today, and today. */
export function windowFirstDay(now: number, windowMs: number): number {
  return Math.floor((now - windowMs) / DAY_MS);
}

/**
 * Sums contributions into rows: add (sign 1) or subtract (−1) sessions' keys; rows that reach
 * zero are dropped. Keys are built on interned cell and device numbers (a fleet's week is
 * millions of keys, and long string keys cost more to hash than to build).
 */
export class DigestBuilder {
  private readonly rows = new Map<string, DigestRow>();
  private readonly ids = new Map<string, string>();
  private readonly names: string[] = [];

  private token(name: string): string {
    let token = this.ids.get(name);
    if (token === undefined) {
      token = `#${this.names.length}`;
      this.ids.set(name, token);
      this.names.push(name);
    }
    return token;
  }

  private add(x: Contribution, sign: 1 | -1): void {
    const key = `${x.kind}|${x.cell}|${x.t}|${x.bin}|${x.reason}|${x.flags}|${x.aux}|${x.device}`;
    const row = this.rows.get(key);
    if (!row) this.rows.set(key, Object.assign(x, { n: sign }));
    else if ((row.n += sign) === 0) this.rows.delete(key);
  }

  fold(s: SessionRecord, sign: 1 | -1 = 1): void {
    for (const x of sessionContributions(s, this.token(cellKey(cellOf(s))), this.token(s.device))) this.add(x, sign);
  }

  result(): DigestRow[] {
    const name = (token: string) => (token === "" ? "" : this.names[Number(token.slice(1))]);
    return Array.from(this.rows.values(), (r) => ({ ...r, cell: name(r.cell), device: r.kind === "survived" || r.kind === "idleDevice" || r.kind === "ageDevice" ? name(r.device) : "" }));
  }
}

/** The digest rows of these sessions, those ending on or after `fromDay`. */
export function digestRows(sessions: Iterable<SessionRecord>, fromDay = -Infinity): DigestRow[] {
  const builder = new DigestBuilder();
  for (const s of sessions) if (s.end !== null && Math.floor(s.end / DAY_MS) >= fromDay) builder.fold(s);
  return builder.result();
}

/** A scope's digest rows sorted by kind, for the detectors' views. */
export class ScopeDigest {
  private readonly byKind = new Map<DigestKind, DigestRow[]>();

  constructor(rows: Iterable<DigestRow>) {
    for (const r of rows) {
      if (r.n === 0) continue;
      const list = this.byKind.get(r.kind);
      if (list) list.push(r);
      else this.byKind.set(r.kind, [r]);
    }
  }

  rows(kind: DigestKind): readonly DigestRow[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Total count of one kind. */
  total(kind: DigestKind, keep: (r: DigestRow) => boolean = () => true): number {
    let n = 0;
    for (const r of this.rows(kind)) if (keep(r)) n += r.n;
    return n;
  }

  /** Days with any ending: [first, last] day index, or null. */
  observedDays(): [number, number] | null {
    let first = Infinity;
    let last = -Infinity;
    for (const r of this.rows("ended")) {
      first = Math.min(first, r.t);
      last = Math.max(last, r.t);
    }
    return Number.isFinite(first) ? [first, last] : null;
  }
}

/** Rows grouped by cell: a fleet's digest as the analysis reads it. */
export function rowsByCell(rows: Iterable<DigestRow>): Map<string, DigestRow[]> {
  const out = new Map<string, DigestRow[]>();
  for (const r of rows) {
    const list = out.get(r.cell);
    if (list) list.push(r);
    else out.set(r.cell, [r]);
  }
  return out;
}
