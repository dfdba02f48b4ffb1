// The shared site report's read model (lib/reports/site-report.ts builds it, the report page
// renders it): one site, one window, and for each finding what to tell its network team.
import type { EvidenceChartData, SiteSummary } from "./dashboard";
import type { DeviceItem, FindingItem } from "./read";
import type { Severity } from "./vocabulary";

/** What a finding means, written for a customer's network team. */
export interface CustomerExplanation {
  measured: string;
  meaning: string;
  ask: string;
}

export interface ReportFinding {
  finding: FindingItem;
  explanation: CustomerExplanation;
  evidence: EvidenceChartData | null;
  /** this site's devices the finding names (never another site's) */
  affectedDevices: string[];
  affectedCount: number;
}

export interface SiteReport {
  site: { slug: string; name: string };
  from: string;
  to: string;
  generatedAt: string;
  expiresAt: string;
  summary: SiteSummary;
  bySeverity: Record<Severity, number>;
  findings: ReportFinding[];
  devices: DeviceItem[];
  /** the platform endpoint most of the site's connections went to, for the explanations */
  endpoint: string | null;
}
