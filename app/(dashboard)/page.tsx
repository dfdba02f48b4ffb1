import { Suspense } from "react";
import { headers } from "next/headers";
import { FleetView } from "@/components/fleet/fleet-view";
import { requireUser } from "@/lib/auth/current-user";
import { pagePath } from "@/lib/client/page-path";

export const dynamic = "force-dynamic";

export default async function FleetPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser(pagePath("/", await searchParams));
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
  return (
    <Suspense>
      <FleetView origin={origin} />
    </Suspense>
  );
}
