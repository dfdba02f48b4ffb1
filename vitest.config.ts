import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: "forks",
    // The suites replay fleets at fixed dates that age past any raw-event window; retention is
    // off unless a test turns it on (test/integration/retention.test.ts).
    env: { LINKSCOPE_RAW_RETENTION_DAYS: "0", LINKSCOPE_SESSION_RETENTION_DAYS: "0" },
    reporters: process.env.CI ? ["default"] : ["default"],
  },
});
