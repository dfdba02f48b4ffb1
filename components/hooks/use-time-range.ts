"use client";
// The page's time range, from and to the URL.
import { useCallback, useMemo } from "react";
import { parseRange, rangeParams, type PresetKey, type RangeSpec } from "@/lib/client/time-range";
import { useUrlState } from "./use-url-state";

export function useTimeRange(fallback: PresetKey) {
  const { params, set } = useUrlState();
  const range = useMemo(() => parseRange(params, fallback), [params, fallback]);
  const setRange = useCallback((next: RangeSpec) => set(rangeParams(next)), [set]);
  return { range, setRange };
}
