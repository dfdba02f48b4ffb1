// How a chain's verdict (lib/contract/dashboard.ts tlsVerdict) is said and coloured, on the
// site page's chain list and the device's last chain alike.
import type { TlsVerdict } from "@/lib/contract/dashboard";

export function verdictLabel(verdict: TlsVerdict, vendor: string | null, long = false): string {
  switch (verdict) {
    case "public":
      return long ? "Genuine chain (public root)" : "Public root";
    case "platform":
      return long ? "The platform's own private CA (pinned, or what the other sites see)" : "Platform's private CA";
    case "undecided":
      return long ? "Private CA: the platform's own, or interception? Pin it with LINKSCOPE_TLS_PINS" : "Private CA · undecided";
    case "intercepted":
      return long ? `Intercepted${vendor ? ` by ${vendor}` : " (private root)"}` : `Intercepted${vendor ? ` · ${vendor}` : " · private CA"}`;
  }
}

/** Red for interception, amber for undecided, green for a genuine chain. */
export function verdictTone(verdict: TlsVerdict): "bad" | "unsure" | "good" {
  return verdict === "intercepted" ? "bad" : verdict === "undecided" ? "unsure" : "good";
}
