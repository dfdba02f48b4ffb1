// Prisma CLI configuration. The app never runs the CLI at run time: migrations are applied
// by lib/db/migrate.ts through Prisma's WebAssembly schema engine (see docs/architecture.md).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: process.env.LINKSCOPE_PRISMA_SCHEMA ?? "prisma/sqlite/schema.prisma",
});
