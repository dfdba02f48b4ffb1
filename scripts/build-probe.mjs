#!/usr/bin/env node
// Bundles the probe agent (lib/probe/cli.ts) into one self-contained file, public/probe.mjs,
// that runs with plain Node 18+ and no npm install. The dashboard serves it at /probe.mjs.
// Usage: node scripts/build-probe.mjs [--outfile PATH]
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { outfile: { type: "string" } } });
const outfile = path.resolve(values.outfile ?? path.join(root, "public", "probe.mjs"));

const result = await build({
  entryPoints: [path.join(root, "lib", "probe", "cli.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node18",
  format: "esm",
  banner: { js: "#!/usr/bin/env node\n// Linkscope probe agent (built from lib/probe). Run: node probe.mjs --help" },
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

// The probe must stay free of npm packages: only node: built-ins may remain as imports.
const inputs = Object.keys(result.metafile.inputs);
const foreign = inputs.filter((input) => input.includes("node_modules"));
if (foreign.length > 0) {
  console.error(`build-probe: the probe must not depend on npm packages, but bundles:\n  ${foreign.join("\n  ")}`);
  process.exit(1);
}
const size = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
console.log(`build-probe: ${path.relative(process.cwd(), outfile)} (${(size / 1024).toFixed(1)} KiB, ${inputs.length} modules)`);
