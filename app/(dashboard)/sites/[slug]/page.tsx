import type { Metadata } from "next";
import { Suspense } from "react";
import { SiteView } from "@/components/site/site-view";
import { requireUser } from "@/lib/auth/current-user";
import { pagePath } from "@/lib/client/page-path";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Site ${(await params).slug}` };
}

export default async function SitePage({ params, searchParams }: Props) {
  const { slug } = await params;
  await requireUser(pagePath(`/sites/${encodeURIComponent(slug)}`, await searchParams));
  return (
    <Suspense>
      <SiteView slug={slug} />
    </Suspense>
  );
}
