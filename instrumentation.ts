// Runs once when a server process starts: background analysis and session sweeps.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundWork } = await import("./lib/findings/scheduler");
  startBackgroundWork();
}
