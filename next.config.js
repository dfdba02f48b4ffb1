/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly database drivers stay outside the server bundle.
  serverExternalPackages: [
    "better-sqlite3",
    "pg",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "@prisma/schema-engine-wasm",
    "@prisma/driver-adapter-utils",
  ],
  poweredByHeader: false,
  // `npm run typecheck` checks the whole tree; a build may skip it where that already ran.
  typescript: { ignoreBuildErrors: process.env.LINKSCOPE_SKIP_BUILD_TYPECHECK === "1" },
  // Lets parallel work trees (or CI jobs) keep separate builds; `npm start` uses the default.
  distDir: process.env.LINKSCOPE_DIST_DIR || ".next",
};

export default nextConfig;
