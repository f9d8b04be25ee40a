// Prefect's `raise_for_api_version_mismatch`, run when a client is opened: GET /admin/version and
// refuse a server whose major version differs from the one this client's API version belongs to.
// Prefect Cloud is skipped (Prefect: "Cloud is always compatible as a server").

import { recogniseAcrossCopies } from "../errors.js";

/** API 0.8.4 (PREFECT_API_VERSION) is served by Prefect 3.x. */
export const PREFECT_SERVER_MAJOR = 3;

/** A server that answered with a version this client cannot work with. */
export class ServerVersionError extends Error {
  override name = "ServerVersionError";
  readonly serverVersion: string;
  constructor(message: string, serverVersion: string, options?: ErrorOptions) {
    super(message, options);
    this.serverVersion = serverVersion;
  }
}

/** Checks passed per base URL, so a process checks each server once (Prefect: once per process). */
const checked = new Set<string>();

export function versionCheckDone(baseUrl: string): boolean {
  return checked.has(baseUrl);
}

/**
 * `version` is the body of GET /admin/version (a JSON string such as "3.4.11"). Throws
 * ServerVersionError on a major mismatch or a body that is not a version.
 */
export function checkServerVersion(baseUrl: string, version: unknown): void {
  const shown = typeof version === "string" ? JSON.stringify(version.slice(0, 64)) : `a ${version === null ? "null" : typeof version}`;
  const major = typeof version === "string" ? /^v?(\d+)\./.exec(version.trim())?.[1] : undefined;
  const hint = "set PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED=false (serverVersionCheck: false) to skip this check";
  if (major === undefined) {
    throw new ServerVersionError(
      `GET ${baseUrl}/admin/version answered ${shown}, not a Prefect version; is PREFECT_API_URL a Prefect server? (${hint})`,
      String(version),
    );
  }
  if (Number(major) !== PREFECT_SERVER_MAJOR) {
    throw new ServerVersionError(
      `Found incompatible versions: this client speaks Prefect ${PREFECT_SERVER_MAJOR}.x's API, the server at ${baseUrl} is Prefect ${version as string}. Major versions must match (${hint}).`,
      version as string,
    );
  }
  checked.add(baseUrl);
}

recogniseAcrossCopies(ServerVersionError, "ServerVersionError");
