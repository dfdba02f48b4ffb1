/** Public API of the detection engine (pure; see analyzeFleet for the order of detectors). */
export { analyzeFleet, type AnalysisOptions } from "./analyzeFleet";
export type * from "./types";
export { detectIdleTimeouts } from "./idleTimeoutFindings";
export { idleTimeoutClusters, type IdleCluster, type IdleTimeoutOptions } from "./idleTimeoutClusters";
export { probeIdleTimeouts } from "./probeIdleTimeout";
export { snapIdleTimeout, idleTimeoutRecommendation, idleTimeoutSeverity, KNOWN_IDLE_TIMEOUTS } from "./knownTimeouts";
export { detectTlsInterception, chainVerdict } from "./tlsInterception";
export { interceptionVendor } from "./interceptionVendor";
export { detectPortBlocked } from "./portBlocked";
export { siteOutages } from "./outage";
export { platformOutages } from "./platformOutage";
export { detectFlapping } from "./flapping";
export { detectOffline } from "./offline";
export { detectSessionLifetimes } from "./sessionLifetime";
export { detectScheduledDrops } from "./scheduledDrop";
