// What a spec's `$ref`s may read. A spec is someone else's input: by default a spec read from a file
// may read files under its own folder only (where links lead counts, not where they sit) and fetch
// nothing; a spec read from a URL may fetch from its own origin only and read no file. The user opts
// out with --allow-external-refs (config: "allowExternalRefs": true).
import { realpath } from "node:fs/promises";
import path from "node:path";
import { redactUrl } from "./load-url.js";

export const OPT_IN_HINT = 'pass --allow-external-refs (or set "allowExternalRefs": true in the config) to allow it';

export interface Refusal {
  reason: string;
  /** Whether --allow-external-refs would lift it. */
  optIn: boolean;
}

export interface RefPolicy {
  /** Why the document at `absoluteRef` (a path, or a URL) may not be read, or undefined. */
  refusal(absoluteRef: string): Promise<Refusal | undefined>;
  /** Why a ref's request may not follow a redirect, or undefined. */
  redirectRefusal(from: URL, to: URL): string | undefined;
}

function isHttpUrl(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** For a spec read from the file `specFile` (absolute). */
export async function fileRefPolicy(specFile: string, allowExternalRefs: boolean): Promise<RefPolicy> {
  const folder = path.dirname(specFile);
  const realFolder = await realpath(folder).catch(() => folder);
  return {
    async refusal(absoluteRef) {
      if (allowExternalRefs) return undefined;
      if (isHttpUrl(absoluteRef)) return { reason: `a spec read from a file may not fetch ${redactUrl(absoluteRef)}`, optIn: true };
      const file = path.resolve(absoluteRef);
      // Checked before the file system is touched: a ref cannot even learn whether an outside file exists.
      if (!isInside(file, folder) && !isInside(file, realFolder))
        return { reason: `it reads ${file}, outside the spec's folder ${folder}`, optIn: true };
      let real: string;
      try {
        real = await realpath(file);
      } catch {
        return undefined; // missing: reading it reports that
      }
      if (!isInside(real, realFolder)) return { reason: `it reads ${file}, a link to ${real}, outside the spec's folder ${folder}`, optIn: true };
      return undefined;
    },
    redirectRefusal() {
      return undefined; // only reached with the opt-in: any URL may be fetched
    },
  };
}

/** For a spec read from `specUrl` (after its redirects). */
export function urlRefPolicy(specUrl: URL, allowExternalRefs: boolean): RefPolicy {
  const origin = specUrl.origin;
  return {
    async refusal(absoluteRef) {
      if (!isHttpUrl(absoluteRef))
        return { reason: `a spec read from a URL may only fetch http(s) URLs, not read ${redactUrl(absoluteRef)}`, optIn: false };
      if (allowExternalRefs) return undefined;
      const target = new URL(absoluteRef).origin;
      if (target !== origin) return { reason: `it fetches from ${target}, not from the spec's origin ${origin}`, optIn: true };
      return undefined;
    },
    redirectRefusal(from, to) {
      if (allowExternalRefs || to.origin === origin) return undefined;
      return `${redactUrl(from.href)} redirects to ${redactUrl(to.href)}, not the spec's origin ${origin}`;
    },
  };
}
