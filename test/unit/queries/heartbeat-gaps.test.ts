import { expect, test } from "vitest";
import { heartbeatGaps } from "@/lib/queries/device-timeline";

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const at = (s: number) => T0 + s * 1000;

test("silences longer than twice the interval in force are gaps, including the one running now", () => {
  const beats = [{ at: at(0), intervalS: 60 }, { at: at(60) }, { at: at(120) }, { at: at(400) }, { at: at(460) }];
  expect(heartbeatGaps(beats, null, at(1000))).toEqual([
    { from: new Date(at(120)).toISOString(), to: new Date(at(400)).toISOString(), seconds: 280 },
    { from: new Date(at(460)).toISOString(), to: new Date(at(1000)).toISOString(), seconds: 540 },
  ]);
});

test("a device that never declared an interval has no gaps", () => {
  expect(heartbeatGaps([{ at: at(0) }, { at: at(5000) }], null, at(9000))).toEqual([]);
});
