// Generates both Prisma clients (SQLite and PostgreSQL) without network access.
// Prisma's CLI insists on locating a native schema engine before it generates, although
// generation itself runs in WebAssembly: pointing it at any executable satisfies the check.
import { spawnSync } from "node:child_process";

for (const provider of ["sqlite", "postgresql"]) {
  const result = spawnSync(
    process.execPath,
    ["node_modules/prisma/build/index.js", "generate", "--schema", `prisma/${provider}/schema.prisma`],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
        LINKSCOPE_PRISMA_SCHEMA: `prisma/${provider}/schema.prisma`,
      },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
