// Liveness for load balancers and the benchmark's baseline: no database, no auth.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" });
}
