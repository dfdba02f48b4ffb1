// One analysis run: load the window, run the detectors, persist what they found.
import { analyzeFleet, type AnalysisOptions } from "@/lib/analysis";
import type { Db } from "@/lib/db/client";
import { ANALYSIS_WINDOW_MS } from "@/lib/analysis/window";
import { loadAnalysisInput } from "./analysis-input";
import { analysisOptionsFromEnv } from "./settings";
import { persistFindings, type RunOutcome } from "./store";

export interface RunOptions {
  windowMs?: number;
  analysis?: AnalysisOptions;
}

/** Analyses one site (its site and device scopes) or, with no site, the whole fleet. */
export async function runAnalysis(db: Db, site: { id: number } | null, now = Date.now(), options: RunOptions = {}): Promise<RunOutcome> {
  const input = await loadAnalysisInput(db, { siteId: site?.id, from: now - (options.windowMs ?? ANALYSIS_WINDOW_MS) });
  const drafts = analyzeFleet(input, now, options.analysis ?? analysisOptionsFromEnv());
  return persistFindings(db, site ? { siteId: site.id } : "fleet", drafts, now);
}
