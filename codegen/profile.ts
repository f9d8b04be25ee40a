// What differs between Prefect's client and any other spec's client.
import type { OpenAPI3 } from "openapi-typescript";

export type ProfileName = "prefect" | "generic";

export interface Profile {
  name: ProfileName;
  /** Defaults merged under the caller's settings in the generated constructor. */
  defaults: { csrfEnabled: boolean; apiVersion: string | null };
  /** Emit `static fromEnv()` and make it the class's default factory (what `injected(TheClass)` creates). */
  hasDefaultFactory: boolean;
}

/** The API version Prefect's Python client sends as X-PREFECT-API-VERSION (prefect/server/api/server.py). */
export const PREFECT_API_VERSION = "0.8.4";

export const PROFILES: Record<ProfileName, Profile> = {
  prefect: { name: "prefect", defaults: { csrfEnabled: true, apiVersion: PREFECT_API_VERSION }, hasDefaultFactory: true },
  generic: { name: "generic", defaults: { csrfEnabled: false, apiVersion: null }, hasDefaultFactory: false },
};

export function isProfileName(value: unknown): value is ProfileName {
  return value === "prefect" || value === "generic";
}

/**
 * The profile when none is given (`--profile` / `"profile"` in the config): `prefect` for Prefect's
 * server spec, recognised by its title and its `/csrf-token` and `/flow_runs/filter` routes, else `generic`.
 */
export function detectProfile(document: OpenAPI3): ProfileName {
  const title = document.info?.title ?? "";
  const paths = document.paths ?? {};
  return /\bPrefect\b/.test(title) && "/csrf-token" in paths && "/flow_runs/filter" in paths ? "prefect" : "generic";
}
