#!/usr/bin/env node
// inject-client generate --input <file|url> --out <dir> [--name <ClassName>] [--profile prefect|generic] [--check]
// inject-client generate [--config openapi/specs.json] [--check]      (every spec of the config)
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, DEFAULT_CONFIG, loadSpecsConfig } from "../openapi/config.js";
import { CodegenError } from "./errors.js";
import { isUrl, redactUrl } from "./load-url.js";
import { classNameProblem } from "./names.js";
import { isProfileName, type ProfileName } from "./profile.js";
import { staleFiles, writeAtomically } from "./write.js";

const USAGE = `Usage:
  inject-client generate --input <file|url> --out <dir> [--name <ClassName>] [--profile prefect|generic] [--check]
  inject-client generate [--config <file>] [--check]     every spec of the config (default ${DEFAULT_CONFIG})

Options:
  --input    an OpenAPI 3.0/3.1 spec: a JSON or YAML file, or an http(s) URL
  --out      the output directory (owned by the generator: its contents are replaced)
  --name     the client class name (default: from the spec's title)
  --profile  "prefect" (CSRF on, X-PREFECT-API-VERSION, default client factory) or "generic";
             detected from the spec when absent
  --config   a specs config (default ${DEFAULT_CONFIG}); ignored with --input
  --check    write nothing; exit 1 and list the files that are stale
`;

interface Job {
  /** The spec's name in a config; undefined for a run with --input. */
  name?: string;
  input: string;
  cwd: string;
  out: string;
  outDisplay: string;
  className?: string;
  profile?: ProfileName;
  regenerateWith: string;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string): void {
  process.stderr.write(`inject-client: error: ${line}\n`);
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        input: { type: "string" },
        out: { type: "string" },
        name: { type: "string" },
        profile: { type: "string" },
        config: { type: "string" },
        check: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== "generate") {
    fail(`${positionals.length === 0 ? "missing command" : `unknown command "${positionals.join(" ")}"`}: expected "generate"\n${USAGE}`);
    return 2;
  }
  const nameProblem = values.name === undefined ? undefined : classNameProblem(values.name);
  if (nameProblem) {
    fail(`--name: ${nameProblem}`);
    return 2;
  }
  if (values.profile !== undefined && !isProfileName(values.profile)) {
    fail(`--profile must be "prefect" or "generic", not "${values.profile}"`);
    return 2;
  }

  const jobs: Job[] = [];
  if (values.input !== undefined || values.out !== undefined) {
    if (values.input === undefined || values.out === undefined) {
      fail(`--input and --out go together\n${USAGE}`);
      return 2;
    }
    const flags = [`--input ${isUrl(values.input) ? redactUrl(values.input) : values.input}`, `--out ${values.out}`, ...(values.name ? [`--name ${values.name}`] : []), ...(values.profile ? [`--profile ${values.profile}`] : [])];
    jobs.push({
      input: values.input,
      cwd: process.cwd(),
      out: path.resolve(values.out),
      outDisplay: values.out,
      className: values.name,
      profile: values.profile as ProfileName | undefined,
      regenerateWith: `inject-client generate ${flags.join(" ")}`,
    });
  } else {
    if (values.name !== undefined || values.profile !== undefined) {
      fail("--name and --profile need --input and --out; with a config, set className and profile there");
      return 2;
    }
    try {
      const config = loadSpecsConfig(values.config ?? DEFAULT_CONFIG);
      const configArg = values.config === undefined ? "" : ` --config ${path.relative(config.root, config.file)}`;
      for (const spec of config.specs) {
        jobs.push({ ...spec, cwd: config.root, regenerateWith: `inject-client generate${configArg}` });
      }
    } catch (error) {
      if (error instanceof ConfigError) {
        fail(`${error.message} (at ${error.location})`);
        return 1;
      }
      throw error;
    }
  }

  // Loaded only now: openapi-typescript, Redocly and ts-morph take a while to import.
  const { generateClient } = await import("./generate.js");
  const started = performance.now();
  let failures = 0;
  let operations = 0;
  let files = 0;
  let written = 0;
  const stale: string[] = [];
  for (const job of jobs) {
    try {
      const result = await generateClient({ input: job.input, cwd: job.cwd, className: job.className, profile: job.profile, regenerateWith: job.regenerateWith });
      operations += result.operations;
      files += result.files.size;
      if (values.check) {
        const outdated = await staleFiles(job.out, result.files);
        stale.push(...outdated);
        print(`${job.name ?? job.outDisplay}: ${outdated.length === 0 ? "current" : `stale (${outdated.map(relative).join(", ")})`}`);
      } else {
        const changed = await writeAtomically(job.out, result.files);
        if (changed) written += result.files.size;
        print(
          `${job.name ?? (isUrl(job.input) ? redactUrl(job.input) : job.input)}: ${result.className} (${result.operations} operations, profile ${result.profile}) -> ${job.outDisplay} ${changed ? "written" : "unchanged"}`,
        );
      }
    } catch (error) {
      failures += 1;
      const prefix = job.name === undefined ? "" : `${job.name}: `;
      if (error instanceof CodegenError) fail(`${prefix}${error.describe()}`);
      else fail(`${prefix}unexpected failure: ${(error as Error).stack ?? String(error)}`);
    }
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const specs = `${jobs.length} spec${jobs.length === 1 ? "" : "s"}`;
  if (values.check) {
    print(
      `inject-client: checked ${specs}, ${operations} operations, ${files} files in ${seconds} s: ${
        failures > 0 ? `${failures} failed` : stale.length === 0 ? "all current" : `${stale.length} stale; run \`inject-client generate\` (npm run codegen)`
      }`,
    );
    return failures > 0 || stale.length > 0 ? 1 : 0;
  }
  print(`inject-client: ${specs}, ${operations} operations, ${written} of ${files} files written in ${seconds} s${failures > 0 ? `, ${failures} failed` : ""}`);
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    fail(`unexpected failure: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
