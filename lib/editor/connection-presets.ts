// Choosing a GitHub, Google or Slack connection in an HTTP step pre-fills the URL with
// the provider's API address, when the URL is still empty (or still another preset's
// address): a URL the person typed is never replaced.
import { OAUTH_PRESETS } from "@/lib/connections/providers";

const BASES = Object.values(OAUTH_PRESETS).map((preset) => preset.apiBaseUrl);

export function apiBaseUrlOf(provider: string | null | undefined): string | null {
  return provider && Object.hasOwn(OAUTH_PRESETS, provider) ? OAUTH_PRESETS[provider as keyof typeof OAUTH_PRESETS].apiBaseUrl : null;
}

/** The HTTP step's config after choosing a connection with the given provider. */
export function withPresetUrl(config: Record<string, unknown>, provider: string | null | undefined): Record<string, unknown> {
  const base = apiBaseUrlOf(provider);
  const url = typeof config.url === "string" ? config.url.trim() : "";
  if (!base || (url !== "" && !BASES.includes(url))) return config;
  return { ...config, url: base };
}
