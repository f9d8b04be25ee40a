// Reading a spec or a document it refers to, within the load's budget: files read in chunks up to the
// bytes left (a special file such as /dev/zero never ends), URLs fetched with a timeout, a body limit,
// redirects followed by hand (each hop checked, credentials only for their own origin).
import { open } from "node:fs/promises";
import { redactUrl } from "./load-url.js";
import type { SpecBudget, Subject } from "./spec-limits.js";

const CHUNK_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Reads a file as UTF-8; fs errors (ENOENT, EACCES, EISDIR) pass through with their codes. */
export async function readFileWithin(file: string, budget: SpecBudget, subject: Subject, location: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), { code: "EISDIR" });
    // A regular file says how large it is: refuse before reading a byte.
    if (stat.isFile() && stat.size > budget.bytesLeft) budget.spendBytes(stat.size, subject, location);
    const chunks: Buffer[] = [];
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      budget.spendBytes(bytesRead, subject, location);
      chunks.push(bytesRead === CHUNK_BYTES ? chunk : chunk.subarray(0, bytesRead));
    }
    return decodeUtf8(chunks);
  } finally {
    await handle.close();
  }
}

/**
 * `unreachable`: no response; `slow`: a response whose body did not finish in time; `refused`: the
 * redirect policy said no; `redirect`: a redirect that cannot be followed at all.
 */
export type FetchFailureKind = "unreachable" | "slow" | "status" | "redirect" | "refused";

/** A request that did not give a body; the message never holds credentials or a query. */
export class FetchFailure extends Error {
  override name = "FetchFailure";
  constructor(
    readonly kind: FetchFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface FetchOptions {
  budget: SpecBudget;
  subject: Subject;
  /** Where limits are reported (the URL as shown). */
  location: string;
  /** `Authorization` for one origin; never sent to another, redirects included. */
  credentials?: { origin: string; authorization: string };
  /** Why a redirect from one URL to another may not be followed, or undefined to follow it. */
  redirectRefusal(from: URL, to: URL): string | undefined;
}

export interface Fetched {
  text: string;
  /** Where the body came from, after redirects: relative refs resolve against it. */
  url: URL;
  mimeType: string | undefined;
}

// HTTP requests in flight, over all loads of the process: Redocly resolves every ref at once.
let inFlight = 0;
const waiting: Array<() => void> = [];

async function throttled<T>(limit: number, run: () => Promise<T>): Promise<T> {
  while (inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  inFlight += 1;
  try {
    return await run();
  } finally {
    inFlight -= 1;
    waiting.shift()?.();
  }
}

export function fetchWithin(start: URL, options: FetchOptions): Promise<Fetched> {
  return throttled(options.budget.limits.maxConcurrentFetches, () => fetchHops(start, options));
}

async function fetchHops(start: URL, options: FetchOptions): Promise<Fetched> {
  const { budget } = options;
  const timeoutMs = budget.limits.fetchTimeoutMs;
  let url = start;
  for (let hop = 0; ; hop += 1) {
    const headers: Record<string, string> = { accept: "application/json, application/yaml;q=0.9, */*;q=0.5" };
    if (options.credentials && url.origin === options.credentials.origin) headers.authorization = options.credentials.authorization;
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), budget.deadline]);
    let response: Response;
    try {
      response = await fetch(url, { headers, redirect: "manual", signal });
    } catch (error) {
      throw new FetchFailure("unreachable", whyUnreachable(error, budget, timeoutMs));
    }
    const location = response.headers.get("location");
    if (REDIRECT_STATUSES.has(response.status) && location !== null) {
      await response.body?.cancel().catch(() => undefined);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new FetchFailure("redirect", `${redactUrl(url.href)} redirects to an invalid URL`);
      }
      if (next.protocol !== "http:" && next.protocol !== "https:")
        throw new FetchFailure("redirect", `${redactUrl(url.href)} redirects to a URL that is not http(s)`);
      const refusal = options.redirectRefusal(url, next);
      if (refusal !== undefined) throw new FetchFailure("refused", refusal);
      if (hop >= MAX_REDIRECTS) throw new FetchFailure("redirect", `${redactUrl(start.href)} redirects more than ${MAX_REDIRECTS} times`);
      url = next;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new FetchFailure("status", `HTTP ${response.status} ${response.statusText}`.trim());
    }
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    try {
      if (declared > budget.bytesLeft) budget.spendBytes(declared, options.subject, options.location);
      const text = await readBody(response, options);
      return { text, url, mimeType: response.headers.get("content-type") ?? undefined };
    } catch (error) {
      // Cancelling the body closes the connection: an endless or dripping body stops here.
      await response.body?.cancel().catch(() => undefined);
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        throw new FetchFailure(
          "slow",
          budget.deadline.aborted ? deadlineMessage(budget) : `the response did not finish within ${timeoutMs / 1000} s`,
        );
      }
      throw error;
    }
  }
}

async function readBody(response: Response, options: FetchOptions): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    options.budget.spendBytes(chunk.byteLength, options.subject, options.location);
    chunks.push(chunk);
  }
  return decodeUtf8(chunks);
}

/** As `response.text()` does: UTF-8, a leading byte-order mark dropped (JSON.parse refuses it). */
function decodeUtf8(chunks: Uint8Array[]): string {
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function deadlineMessage(budget: SpecBudget): string {
  return `the spec and the URLs it refers to took longer than ${budget.limits.totalFetchTimeoutMs / 1000} s to read`;
}

function whyUnreachable(error: unknown, budget: SpecBudget, timeoutMs: number): string {
  if (budget.deadline.aborted) return deadlineMessage(budget);
  if ((error as Error).name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
