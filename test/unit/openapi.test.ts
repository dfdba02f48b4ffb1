// The API reference cannot silently miss an endpoint: every route file under app/api has
// its path and methods in the OpenAPI document.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(full) : e.name === "route.ts" ? [full] : [];
  });
}

test("every API route and method is documented", () => {
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  const files = routeFiles("app/api");
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    const route = `/${path.dirname(file).replace(/^app\//, "").replace(/\[(\w+)\]/g, "{$1}")}`;
    expect(paths, `${route} is missing from the OpenAPI document`).toHaveProperty([route]);
    const source = fs.readFileSync(file, "utf8");
    for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
      if (new RegExp(`export (async )?(function|const) ${method}\\b`).test(source)) {
        expect(paths[route], `${method} ${route} is not documented`).toHaveProperty([method.toLowerCase()]);
      }
    }
  }
});
