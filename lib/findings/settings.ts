// Operator settings the detectors need, from the environment.
//   LINKSCOPE_TLS_PINS — JSON: which chains are genuine for an endpoint whose certificate does
//   not end in a public root (a private device platform), e.g.
//   {"devices.acme.example:8883": {"issuers": ["CN=Acme Device Root CA, O=Acme"], "spkiSha256": ["ab12..."]}}
import { z } from "zod";
import type { AnalysisOptions } from "@/lib/analysis";
import { endpoint } from "@/lib/contract/events";

const hex = z.string().regex(/^[0-9a-f]{64}$/);
const tlsPins = z.record(
  endpoint,
  z.object({ sha256: z.array(hex).optional(), spkiSha256: z.array(hex).optional(), issuers: z.array(z.string().min(1)).optional() }).strict(),
);

export function analysisOptionsFromEnv(env: Record<string, string | undefined> = process.env): AnalysisOptions {
  const raw = env.LINKSCOPE_TLS_PINS?.trim();
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error("LINKSCOPE_TLS_PINS is not valid JSON");
  }
  const parsed = tlsPins.safeParse(json);
  if (!parsed.success) throw new Error(`LINKSCOPE_TLS_PINS: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`);
  return { tls: { pins: parsed.data } };
}
