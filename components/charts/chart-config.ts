// The one place that names the dashboard's chart series and gives them colours (CSS
// variables from app/globals.css, so light and dark schemes each get a readable palette).
export interface SeriesStyle {
  label: string;
  color: string;
  /** one line for the legend's tooltip / screen readers */
  hint?: string;
}

export const END_REASON_SERIES: Record<string, SeriesStyle> = {
  reset: { label: "Reset (RST)", color: "var(--chart-reset)", hint: "the far end or a middlebox reset the connection" },
  timeout: { label: "Timeout", color: "var(--chart-timeout)", hint: "no answer: the device gave up waiting" },
  error: { label: "Error", color: "var(--chart-error)" },
  unknown: { label: "Unknown", color: "var(--chart-unknown)" },
  inferred: { label: "Heartbeats stopped", color: "var(--chart-inferred)", hint: "no disconnect reported; heartbeats stopped" },
  superseded: { label: "Reconnected", color: "var(--chart-superseded)", hint: "a new connection replaced it without a disconnect" },
  server_closed: { label: "Server closed", color: "var(--chart-server-closed)" },
  client_closed: { label: "Device closed", color: "var(--chart-client-closed)", hint: "the device closed it on purpose" },
  open: { label: "Still open", color: "var(--chart-open)" },
};

export const CHART = {
  axis: "var(--chart-axis)",
  grid: "var(--chart-grid)",
  reference: "var(--chart-reference)",
  marker: "var(--chart-marker)",
  window: "var(--chart-window)",
  bars: "var(--chart-bars)",
  survival: "var(--chart-survival)",
  heartbeat: "var(--chart-heartbeat)",
  failure: "var(--chart-failure)",
} as const;

export const SINGLE_SERIES: Record<string, SeriesStyle> = {
  heartbeat: { label: "Heartbeats", color: CHART.heartbeat },
  drops: { label: "Drops", color: CHART.bars },
};

const PALETTE = ["var(--chart-failure)", "var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)", "var(--chart-unknown)"];

/** A series' style: a known one, else the next palette colour in key order (errnos and such). */
export function seriesStyle(key: string, index: number): SeriesStyle {
  return END_REASON_SERIES[key] ?? SINGLE_SERIES[key] ?? { label: key, color: PALETTE[index % PALETTE.length] };
}
