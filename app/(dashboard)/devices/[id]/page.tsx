import type { Metadata } from "next";
import { Suspense } from "react";
import { DeviceView } from "@/components/device/device-view";
import { requireUser } from "@/lib/auth/current-user";
import { pagePath } from "@/lib/client/page-path";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Device ${decodeURIComponent((await params).id)}` };
}

export default async function DevicePage({ params, searchParams }: Props) {
  const id = decodeURIComponent((await params).id);
  await requireUser(pagePath(`/devices/${encodeURIComponent(id)}`, await searchParams));
  return (
    <Suspense>
      <DeviceView id={id} />
    </Suspense>
  );
}
