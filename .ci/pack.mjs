// `npm run pack [-- <dir>]`: the three packages as the tarballs a user installs before they are on npm
// (`npm install <dir>/*.tgz`). Default <dir>: packs/ (git-ignored). Expects the build (`npm run pack` runs it).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(repo, "packs"));
const workspaces = ["runtime", "codegen", "transformer"];

mkdirSync(out, { recursive: true });
for (const old of readdirSync(out).filter((file) => file.endsWith(".tgz"))) rmSync(path.join(out, old));
execFileSync("npm", ["pack", "--ignore-scripts", "--loglevel=warn", "--pack-destination", out, ...workspaces.flatMap((w) => ["-w", w])], {
  cwd: repo,
  stdio: ["ignore", "ignore", "inherit"],
});
for (const file of readdirSync(out)
  .filter((f) => f.endsWith(".tgz"))
  .sort())
  console.log(path.join(out, file));
