#!/usr/bin/env node
// inject-client generate --input <file|url> --out <dir> [--name <ClassName>] [--profile prefect|generic] [--check] [--allow-external-refs]
// inject-client generate [--config openapi/specs.json] [--check]      (every spec of the config)
import { parseArgs } from "node:util";
import { CliRefusal, plannedJobs } from "./cli-jobs.js";
import { refusedOutputs, runJobs, type Output } from "./cli-run.js";
import { DEFAULT_CONFIG } from "./config.js";
import { classNameProblem } from "./names.js";
import { isProfileName } from "./profile.js";

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

const terminal: Output = {
  print(line) {
    process.stdout.write(`${line}\n`);
  },
  fail(line) {
    process.stderr.write(`inject-client: error: ${line}\n`);
  },
};

function parseFlags(argv: string[]) {
  return parseArgs({
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
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    terminal.fail(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    terminal.print(USAGE);
    return 0;
  }
  try {
    if (positionals.length !== 1 || positionals[0] !== "generate") {
      const problem = positionals.length === 0 ? "missing command" : `unknown command "${positionals.join(" ")}"`;
      throw new CliRefusal(`${problem}: expected "generate"\n${USAGE}`, 2);
    }
    const nameProblem = values.name === undefined ? undefined : classNameProblem(values.name);
    if (nameProblem) throw new CliRefusal(`--name: ${nameProblem}`, 2);
    const { profile } = values;
    if (profile !== undefined && !isProfileName(profile)) throw new CliRefusal(`--profile must be "prefect" or "generic", not "${profile}"`, 2);

    const jobs = plannedJobs({ ...values, profile, allowExternalRefs: values["allow-external-refs"] }, USAGE);
    const options = { check: values.check, force: values.force };
    const refusals = await refusedOutputs(jobs, options);
    if (refusals.length > 0) {
      for (const line of refusals) terminal.fail(line);
      return 2;
    }
    return await runJobs(jobs, options, terminal);
  } catch (error) {
    if (!(error instanceof CliRefusal)) throw error;
    terminal.fail(error.message);
    return error.exitCode;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    terminal.fail(`unexpected failure: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
