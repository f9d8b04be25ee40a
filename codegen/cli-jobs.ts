// What a `generate` run is asked to do: one job from --input/--out, or one per spec of a config.
import path from "node:path";
import { ConfigError, DEFAULT_CONFIG, loadSpecsConfig } from "./config.js";
import { isUrl, redactUrl, specUrlProblem } from "./load-url.js";
import type { ProfileName } from "./profile.js";

export interface Job {
  /** The spec's name in a config; undefined for a run with --input. */
  name?: string;
  input: string;
  cwd: string;
  out: string;
  outDisplay: string;
  className?: string;
  profile?: ProfileName;
  regenerateWith: string;
  allowExternalRefs?: boolean;
}

export interface JobFlags {
  input?: string;
  out?: string;
  name?: string;
  profile?: ProfileName;
  config?: string;
  allowExternalRefs: boolean;
}

/** A run that cannot start: one line for stderr and the exit code. */
export class CliRefusal extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function plannedJobs(flags: JobFlags, usage: string): Job[] {
  if (flags.input !== undefined || flags.out !== undefined) return [jobFromFlags(flags, usage)];
  if (flags.name !== undefined || flags.profile !== undefined) {
    throw new CliRefusal("--name and --profile need --input and --out; with a config, set className and profile there", 2);
  }
  return jobsFromConfig(flags);
}

function jobFromFlags(flags: JobFlags, usage: string): Job {
  const { input, out } = flags;
  if (input === undefined || out === undefined) throw new CliRefusal(`--input and --out go together\n${usage}`, 2);
  const urlProblem = isUrl(input) ? specUrlProblem(input) : undefined;
  if (urlProblem) throw new CliRefusal(`--input: ${urlProblem}`, 2);
  const regenerateFlags = [
    `--input ${isUrl(input) ? redactUrl(input) : input}`,
    `--out ${out}`,
    ...(flags.name ? [`--name ${flags.name}`] : []),
    ...(flags.profile ? [`--profile ${flags.profile}`] : []),
    ...(flags.allowExternalRefs ? ["--allow-external-refs"] : []),
  ];
  return {
    input,
    cwd: process.cwd(),
    out: path.resolve(out),
    outDisplay: out,
    className: flags.name,
    profile: flags.profile,
    allowExternalRefs: flags.allowExternalRefs,
    regenerateWith: `inject-client generate ${regenerateFlags.join(" ")}`,
  };
}

function jobsFromConfig(flags: JobFlags): Job[] {
  let config;
  try {
    config = loadSpecsConfig(flags.config ?? DEFAULT_CONFIG);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliRefusal(`${error.message} (at ${error.location})`, error.exitCode);
    throw error;
  }
  const configArg = `${flags.config === undefined ? "" : ` --config ${path.relative(config.root, config.file)}`}${flags.allowExternalRefs ? " --allow-external-refs" : ""}`;
  return config.specs.map((spec) => ({
    ...spec,
    allowExternalRefs: flags.allowExternalRefs || spec.allowExternalRefs,
    cwd: config.root,
    regenerateWith: `inject-client generate${configArg}`,
  }));
}
