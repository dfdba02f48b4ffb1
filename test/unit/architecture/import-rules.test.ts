// The layers of docs/architecture.md, enforced: each folder imports only the folders below it,
// app/ never touches Prisma, the probe carries no server code, and no module imports itself
// back through others (no cycles, types included).
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/**
 * Top to bottom. A folder may import the folders listed for it (and itself); `types` lists
 * folders it may import types from only (erased at build time, so no code crosses).
 */
const RULES: Record<string, { imports: string[]; types?: string[] }> = {
  app: { imports: ["app", "components", "lib/api", "lib/auth", "lib/client", "lib/contract", "lib/db", "lib/findings", "lib/ingest", "lib/probe-server", "lib/queries", "lib/reports", "lib/sessions"] },
  components: { imports: ["components", "lib/client", "lib/contract", "lib/analysis"] },
  "lib/cli": { imports: ["lib/auth", "lib/contract", "lib/db", "lib/findings", "lib/ingest", "lib/queries", "lib/reports", "lib/retention", "lib/sessions", "lib/analysis"] },
  "lib/api": { imports: ["lib/auth", "lib/contract", "lib/db", "lib/findings", "lib/ingest", "lib/queries", "lib/reports", "lib/sessions", "lib/analysis"] },
  "lib/reports": { imports: ["lib/auth", "lib/contract", "lib/db", "lib/queries", "lib/analysis"] },
  "lib/findings": { imports: ["lib/contract", "lib/db", "lib/queries", "lib/retention", "lib/sessions", "lib/analysis"] },
  "lib/retention": { imports: ["lib/contract", "lib/db", "lib/analysis"] },
  "lib/ingest": { imports: ["lib/contract", "lib/db", "lib/sessions"] },
  "lib/queries": { imports: ["lib/contract", "lib/db", "lib/analysis"] },
  "lib/auth": { imports: ["lib/contract", "lib/db"] },
  "lib/sessions": { imports: ["lib/contract", "lib/db"] },
  "lib/client": { imports: ["lib/contract", "lib/analysis"] },
  "lib/analysis": { imports: ["lib/contract"] },
  "lib/db": { imports: [] },
  "lib/probe-server": { imports: [] },
  // The probe is bundled on its own (Node built-ins only): the wire types, nothing else.
  "lib/probe": { imports: [], types: ["lib/contract"] },
  "lib/contract": { imports: [] },
};

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated" && entry.name !== "node_modules") walk(full);
      } else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(path.relative(ROOT, full));
    }
  };
  for (const top of ["app", "components", "lib"]) walk(path.join(ROOT, top));
  return out.sort();
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.join(path.dirname(from), spec) : null;
  if (base === null) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile()) return path.normalize(candidate);
  }
  return path.normalize(base);
}

function importsOf(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, false);
  const found: Array<{ spec: string; typeOnly: boolean }> = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node)
        ? (node.importClause?.isTypeOnly ?? false) ||
          (node.importClause?.namedBindings !== undefined &&
            ts.isNamedImports(node.importClause.namedBindings) &&
            node.importClause.name === undefined &&
            node.importClause.namedBindings.elements.length > 0 &&
            node.importClause.namedBindings.elements.every((e) => e.isTypeOnly))
        : node.isTypeOnly;
      found.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ spec: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ spec: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The folder a file belongs to in RULES: lib/<name>, or the top folder. */
function folderOf(file: string): string {
  const parts = file.split(path.sep);
  return parts[0] === "lib" ? `lib/${parts[1]}` : parts[0];
}

const files = sourceFiles();
const edges: Edge[] = [];
const external = new Map<string, string[]>();
for (const file of files) {
  for (const { spec, typeOnly } of importsOf(file)) {
    const target = resolve(file, spec);
    if (target === null) external.set(file, [...(external.get(file) ?? []), spec]);
    else edges.push({ from: file, to: target, typeOnly });
  }
}

describe("import rules (docs/architecture.md, Layers)", () => {
  test("every folder has a rule", () => {
    expect([...new Set(files.map(folderOf))].filter((f) => !(f in RULES))).toEqual([]);
  });

  test("no import runs up a layer or sideways outside the rules", () => {
    const broken = edges
      .filter(({ from, to, typeOnly }) => {
        const [a, b] = [folderOf(from), folderOf(to)];
        if (a === b) return false;
        const rule = RULES[a];
        return !(rule.imports.includes(b) || (typeOnly && rule.types?.includes(b)));
      })
      .map(({ from, to, typeOnly }) => `${from} → ${to}${typeOnly ? " (type)" : ""}`);
    expect(broken).toEqual([]);
  });

  test("app/ and components/ never touch Prisma or the raw database drivers", () => {
    const touching = files
      .filter((f) => f.startsWith("app/") || f.startsWith("components/"))
      .filter((f) => {
        const text = fs.readFileSync(path.join(ROOT, f), "utf8");
        const specs = [...(external.get(f) ?? []), ...edges.filter((e) => e.from === f).map((e) => e.to)];
        return (
          specs.some((s) => /^@prisma\/|^better-sqlite3$|^pg$|lib\/db\/generated/.test(s)) || /\.prisma\b|\.\$queryRaw|\.\$executeRaw|\.sqlite\.|\.pool\./.test(text)
        );
      });
    expect(touching).toEqual([]);
  });

  test("no import cycles, types included", () => {
    const next = new Map<string, string[]>();
    for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, "open");
      stack.push(file);
      for (const to of next.get(file) ?? []) {
        if (state.get(to) === "open") cycles.push([...stack.slice(stack.indexOf(to)), to].join(" → "));
        else if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(file, "done");
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  test("lib/contract depends on nothing but zod", () => {
    const outside = files
      .filter((f) => folderOf(f) === "lib/contract")
      .flatMap((f) => (external.get(f) ?? []).filter((s) => s !== "zod").map((s) => `${f} → ${s}`));
    expect(outside).toEqual([]);
  });
});
