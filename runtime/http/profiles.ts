// Prefect profiles (`prefect profile use`, `prefect cloud login`): ~/.prefect/profiles.toml holds
// `active = "name"` and `[profiles.name]` tables of PREFECT_* settings. settingsFromEnv reads the
// active profile under the environment: a variable that is set wins, as in Prefect.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse, TomlError } from "smol-toml";
import { ClientSettingsError } from "./settings.js";

type Env = Record<string, string | undefined>;

/** The settings of the active profile, as text (the form environment variables have). */
export interface LoadedProfile {
  name: string;
  path: string;
  values: Record<string, string>;
}

/** Profiles Prefect ships with: naming one that the file does not hold is not an error. */
const BUILT_IN_PROFILES = new Set(["ephemeral", "local", "cloud", "test"]);

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** PREFECT_PROFILES_PATH, else $PREFECT_HOME/profiles.toml, else ~/.prefect/profiles.toml (Prefect's order). */
export function profilesPath(env: Env): string {
  const explicit = nonEmpty(env.PREFECT_PROFILES_PATH);
  if (explicit !== undefined) return expandHome(explicit);
  const home = nonEmpty(env.PREFECT_HOME);
  return join(home === undefined ? join(homedir(), ".prefect") : expandHome(home), "profiles.toml");
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

/**
 * Reads the active profile (PREFECT_PROFILE, else the file's `active`) from `path`. No file, or a
 * built-in profile the file does not define, is no profile. Errors name the file, the profile and the
 * key, never a value (profiles hold PREFECT_API_KEY).
 */
export function loadProfile(env: Env, path: string = profilesPath(env)): LoadedProfile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && nonEmpty(env.PREFECT_PROFILE) === undefined) return undefined;
    if (code === "ENOENT")
      throw new ClientSettingsError(
        `PREFECT_PROFILE names profile ${JSON.stringify(env.PREFECT_PROFILE!.trim())}, but there is no profiles file at ${path}.`,
      );
    throw new ClientSettingsError(`Cannot read the Prefect profiles file ${path} (${code ?? "error"}).`);
  }
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    // smol-toml's message quotes the offending lines, which may hold a key: only its first line and the position.
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : "";
    const reason = String((error as Error).message)
      .split("\n")[0]!
      .replace(/^Invalid TOML document: /, "");
    throw new ClientSettingsError(`Invalid Prefect profiles file ${path}: not valid TOML${where} (${reason}).`);
  }
  const fromEnv = nonEmpty(env.PREFECT_PROFILE);
  const active = fromEnv ?? document.active;
  if (active === undefined) return undefined;
  if (typeof active !== "string") throw new ClientSettingsError(`Invalid Prefect profiles file ${path}: "active" must be a profile name (a string).`);
  const profiles = document.profiles ?? {};
  if (typeof profiles !== "object" || profiles === null || Array.isArray(profiles)) {
    throw new ClientSettingsError(`Invalid Prefect profiles file ${path}: "profiles" must be a table of [profiles.<name>] tables.`);
  }
  const table = (profiles as Record<string, unknown>)[active];
  if (table === undefined) {
    if (BUILT_IN_PROFILES.has(active)) return { name: active, path, values: {} };
    const origin = fromEnv !== undefined ? "PREFECT_PROFILE names" : `${path} makes active`;
    throw new ClientSettingsError(
      `${origin} profile ${JSON.stringify(active)}, which ${path} does not define (it has: ${
        Object.keys(profiles)
          .map((n) => JSON.stringify(n))
          .join(", ") || "none"
      }).`,
    );
  }
  if (typeof table !== "object" || table === null || Array.isArray(table)) {
    throw new ClientSettingsError(`Invalid Prefect profiles file ${path}: [profiles.${active}] must be a table of PREFECT_* settings.`);
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === "string") values[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") values[key] = String(value);
    // Arrays (PREFECT_CLIENT_RETRY_EXTRA_CODES = [404]) and inline tables (custom headers) in their JSON form.
    else if (Array.isArray(value) || (typeof value === "object" && value !== null && value.constructor === Object))
      values[key] = JSON.stringify(value);
    else
      throw new ClientSettingsError(
        `Invalid Prefect profiles file ${path}: ${key} in [profiles.${active}] must be a string, number, boolean, array or table (value not shown).`,
      );
  }
  return { name: active, path, values };
}
