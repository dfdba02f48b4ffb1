// How far back an analysis run looks: a week of sessions and evidence, so a weekly pattern
// (a nightly cut, a weekday schedule) is seen and an old problem ages out.
export const ANALYSIS_WINDOW_MS = 7 * 86_400_000;
