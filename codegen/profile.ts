// What differs between Prefect's client and any other spec's client.
import type { OpenAPI3 } from "openapi-typescript";

export type ProfileName = "prefect" | "generic";

export interface Profile {
  name: ProfileName;
  /** Defaults merged under the caller's settings in the generated constructor. */
  defaults: { csrfEnabled: boolean; apiVersion: string | null };
  /** The JSDoc of the generated `defaults`: whose they are. */
  defaultsDoc: string;
  /**
   * Emit `static fromEnv()` (the runtime's `settingsFromEnv()`) and make it the class's default factory (what
   * `injected(TheClass)` creates): `doc` is its JSDoc, `exampleCall` a call the class's JSDoc shows after it.
   */
  fromEnv?: { doc: string; exampleCall: string };
}

/** The API version Prefect's Python client sends as X-PREFECT-API-VERSION (prefect/server/api/server.py). */
export const PREFECT_API_VERSION = "0.8.4";

export const PROFILES: Record<ProfileName, Profile> = {
  prefect: {
    name: "prefect",
    defaults: { csrfEnabled: true, apiVersion: PREFECT_API_VERSION },
    defaultsDoc: "Prefect's defaults: CSRF tokens on (as `PREFECT_CLIENT_CSRF_SUPPORT_ENABLED`) and the API version Prefect's Python client sends.",
    fromEnv: {
      doc: "A client configured from Prefect's environment variables (`PREFECT_API_URL`, `PREFECT_API_KEY`, ...), as Prefect's `get_client()`.",
      exampleCall: "const flow = await client.readFlow(id);",
    },
  },
  generic: {
    name: "generic",
    defaults: { csrfEnabled: false, apiVersion: null },
    defaultsDoc: "Defaults for a generic API: no CSRF tokens, no API-version header.",
  },
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
