#!/usr/bin/env node
// inject-client generate --input <file|url> --out <dir> [--name <ClassName>] [--profile prefect|generic] [--check] [--allow-external-refs]
// inject-client generate [--config openapi/specs.json] [--check]      (every spec of the config)
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, DEFAULT_CONFIG, loadSpecsConfig } from "./config.js";
import { CodegenError } from "./errors.js";
import { isUrl, redactUrl, specUrlProblem } from "./load-url.js";
import { classNameProblem } from "./names.js";
import { isProfileName, type ProfileName } from "./profile.js";
import { checkOutputDir, OutputDirError, type ProtectedDir } from "./output-dir.js";
import { checkOwnership, staleFiles, writeOutput } from "./write.js";

const USAGE = `Usage:
  inject-client generate --input <file|url> --out <dir> [--name <ClassName>] [--profile prefect|generic] [--check]
                         [--allow-external-refs] [--force]
  inject-client generate [--config <file>] [--check]     every spec of the config (default ${DEFAULT_CONFIG})

Options:
  --input    an OpenAPI 3.0/3.1 spec: a JSON or YAML file, or an http(s) URL
  --out      the output directory: new, empty, or one inject-client wrote (its .inject-client-manifest.json
             lists the only files a run replaces or removes; other files there are kept)
  --name     the client class name (default: from the spec's title)
  --profile  "prefect" (CSRF on, X-PREFECT-API-VERSION, default client factory) or "generic";
             detected from the spec when absent
  --config   a specs config (default ${DEFAULT_CONFIG}); ignored with --input
  --check    write nothing; exit 1 and list the files that are stale
  --force    overwrite (or remove) generated files even if they were edited by hand
  --allow-external-refs  let the spec's $refs read files outside its folder and fetch other
             origins (by default a spec file's refs stay in its folder, a spec URL's on its origin)
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
  allowExternalRefs?: boolean;
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
        force: { type: "boolean", default: false },
        "allow-external-refs": { type: "boolean", default: false },
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
    const urlProblem = isUrl(values.input) ? specUrlProblem(values.input) : undefined;
    if (urlProblem) {
      fail(`--input: ${urlProblem}`);
      return 2;
    }
    const flags = [
      `--input ${isUrl(values.input) ? redactUrl(values.input) : values.input}`,
      `--out ${values.out}`,
      ...(values.name ? [`--name ${values.name}`] : []),
      ...(values.profile ? [`--profile ${values.profile}`] : []),
    ];
    if (values["allow-external-refs"]) flags.push("--allow-external-refs");
    jobs.push({
      input: values.input,
      cwd: process.cwd(),
      out: path.resolve(values.out),
      outDisplay: values.out,
      className: values.name,
      profile: values.profile as ProfileName | undefined,
      allowExternalRefs: values["allow-external-refs"],
      regenerateWith: `inject-client generate ${flags.join(" ")}`,
    });
  } else {
    if (values.name !== undefined || values.profile !== undefined) {
      fail("--name and --profile need --input and --out; with a config, set className and profile there");
      return 2;
    }
    try {
      const config = loadSpecsConfig(values.config ?? DEFAULT_CONFIG);
      const configArg = `${values.config === undefined ? "" : ` --config ${path.relative(config.root, config.file)}`}${values["allow-external-refs"] ? " --allow-external-refs" : ""}`;
      for (const spec of config.specs) {
        const allowExternalRefs = values["allow-external-refs"] || spec.allowExternalRefs;
        jobs.push({ ...spec, allowExternalRefs, cwd: config.root, regenerateWith: `inject-client generate${configArg}` });
      }
    } catch (error) {
      if (error instanceof ConfigError) {
        fail(`${error.message} (at ${error.location})`);
        return error.exitCode;
      }
      throw error;
    }
  }

  // Every output directory is checked before anything is generated, let alone written: one refused means none
  // is touched. The write checks ownership again, under its lock.
  const refusals: string[] = [];
  for (const job of jobs) {
    const protect: ProtectedDir[] = [];
    if (!isUrl(job.input)) protect.push({ dir: path.dirname(path.resolve(job.cwd, job.input)), what: `the folder of the input spec (${job.input})` });
    if (job.name !== undefined) protect.push({ dir: job.cwd, what: "the project root" });
    try {
      checkOutputDir(job.out, { display: job.outDisplay, protect });
      if (!values.check) await checkOwnership(job.out, { display: job.outDisplay });
    } catch (error) {
      const line = error instanceof CodegenError ? error.describe() : `cannot use --out ${job.outDisplay}: ${(error as Error).message}`;
      refusals.push(`${job.name === undefined ? "" : `${job.name}: `}${line}`);
    }
  }
  if (refusals.length > 0) {
    for (const line of refusals) fail(line);
    return 2;
  }

  // Loaded only now: openapi-typescript, Redocly and ts-morph take a while to import.
  const { generateClient } = await import("./generate.js");
  const started = performance.now();
  let failures = 0;
  let refused = 0;
  let operations = 0;
  let files = 0;
  let written = 0;
  const stale: string[] = [];
  for (const job of jobs) {
    try {
      const result = await generateClient({
        input: job.input,
        cwd: job.cwd,
        className: job.className,
        profile: job.profile,
        allowExternalRefs: job.allowExternalRefs,
        regenerateWith: job.regenerateWith,
      });
      operations += result.operations;
      files += result.files.size;
      if (values.check) {
        const outdated = await staleFiles(job.out, result.files);
        stale.push(...outdated);
        print(`${job.name ?? job.outDisplay}: ${outdated.length === 0 ? "current" : `stale (${outdated.map(relative).join(", ")})`}`);
      } else {
        const { changed, kept } = await writeOutput(job.out, result.files, { force: values.force, display: job.outDisplay });
        if (changed) written += result.files.size;
        const keptNote =
          kept.length === 0
            ? ""
            : ` (kept ${kept.length} ${kept.length === 1 ? "entry" : "entries"} inject-client did not write: ${kept.slice(0, 5).join(", ")}${kept.length > 5 ? ", ..." : ""})`;
        print(
          `${job.name ?? (isUrl(job.input) ? redactUrl(job.input) : job.input)}: ${result.className} (${result.operations} operations, profile ${result.profile}) -> ${job.outDisplay} ${changed ? "written" : "unchanged"}${keptNote}`,
        );
      }
    } catch (error) {
      failures += 1;
      if (error instanceof OutputDirError) refused += 1;
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
        failures > 0
          ? `${failures} failed`
          : stale.length === 0
            ? "all current"
            : `${stale.length} stale; run \`inject-client generate\` (npm run codegen)`
      }`,
    );
    return failures > 0 || stale.length > 0 ? 1 : 0;
  }
  print(
    `inject-client: ${specs}, ${operations} operations, ${written} of ${files} files written in ${seconds} s${failures > 0 ? `, ${failures} failed` : ""}`,
  );
  return refused > 0 ? 2 : failures > 0 ? 1 : 0;
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
