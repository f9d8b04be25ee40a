// The `fetch` openapi-fetch calls: sends one prepared request over the client's own undici Agent and
// applies Prefect's rules around it (CSRF headers, retries, per-attempt timeouts, maintenance waits),
// plus the limits a hostile server must not get past (redirects.ts, read-body.ts; the pool's own caps
// are in connection-pool.ts).
//
// Why a hand-written loop instead of undici's RetryAgent/RetryHandler: undici's fetch hands the
// dispatcher the request body as a one-shot async iterator, so RetryHandler cannot replay POST/PATCH
// bodies (most Prefect calls); it also replays the same headers (we must refresh the CSRF token between
// attempts and after a 403 "Invalid CSRF token"), counts every retryable response (Prefect-Maintenance
// must not count), and cannot hand back the last retryable response without waiting once more. The
// delay rules themselves are pure functions in retry.ts.
import { fetch as undiciFetch, type Dispatcher, type HeadersInit } from "undici";
import { ClientClosedError } from "../errors.js";
import { requestEvents, type RetryEvent } from "../events.js";
import type { Attribution } from "./attribution.js";
import { CSRF_METHODS, INVALID_TOKEN_MARKER, type CsrfSession } from "./csrf.js";
import { HTTPRedirectError, HTTPRequestError, HTTPTimeoutError, ResponseTooLargeError } from "./errors.js";
import { discardBody, readTextUpTo } from "./read-body.js";
import { BODY_HEADERS, nextHop } from "./redirects.js";
import { MAX_MAINTENANCE_WAITS, classifyNetworkError, exceededResponseSize, retryDelayMs } from "./retry.js";
import { follow, unfollow } from "./signal-fanout.js";
import type { PreparedRequest } from "./prepared-request.js";
import type { ResolvedSettings } from "./settings.js";

/** Bodies undici can send again on a retry; a stream can be read only once. */
function isReplayable(body: PreparedRequest["body"]): boolean {
  return body === null || typeof body === "string" || body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof URLSearchParams || body instanceof Blob || body instanceof FormData;
}

/** What an attempt was: for error messages and for telling our own timeout from other aborts. */
interface Attempt {
  method: string;
  url: string;
  attempts: number;
  timeout: number | undefined;
  timeoutSignal: AbortSignal | undefined;
}

export class HttpTransport {
  readonly #agent: Dispatcher;
  readonly #attribution: Attribution | undefined;
  readonly #settings: ResolvedSettings;
  readonly #csrf: CsrfSession;
  readonly #isClosed: () => boolean;
  /** Error bodies are cut here; never above the Agent's own limit, which would fail the read instead. */
  readonly #errorBodyLimit: number;
  /** Aborted on close so that a retry waiting out its back-off stops waiting. */
  readonly #closing = new AbortController();
  /** Prefect retries refused connections only to a server that has answered before. */
  #answeredBefore = false;

  constructor(agent: Dispatcher, settings: ResolvedSettings, csrf: CsrfSession, isClosed: () => boolean, attribution?: Attribution) {
    this.#agent = agent;
    this.#attribution = attribution;
    this.#settings = settings;
    this.#csrf = csrf;
    this.#isClosed = isClosed;
    this.#errorBodyLimit = Math.min(settings.maxErrorBodyBytes, settings.maxResponseBytes);
  }

  /** Stops back-off waits; the caller closes the agent. */
  close(): void {
    this.#closing.abort(new ClientClosedError());
  }

  /**
   * Resolves with the first response that is not retried or redirected (2xx with its body unread; any
   * other status with its body read, at most `maxErrorBodyBytes` of it, the last retryable one once
   * attempts are used up, without sleeping after it); rejects with ClientClosedError, the caller's
   * abort reason, HTTPTimeoutError or HTTPRequestError (ResponseTooLargeError, HTTPRedirectError).
   * An arrow function so that it is bound once, not per request.
   */
  readonly fetch = async (request: PreparedRequest): Promise<Response> => {
    const settings = this.#settings;
    const csrf = this.#csrf;
    // A redirect may change these; the request's own fields describe the call as it was made.
    let method = request.method;
    let url = request.url;
    let body = request.body;
    let protectedByCsrf = CSRF_METHODS.has(method);
    const maxRetries = isReplayable(body) ? settings.maxRetries : 0;
    // A per-call timeout replaces the Agent's idle timeouts for this call (so it can also be longer).
    const dispatcher = request.timeout === undefined ? this.#agent : this.#agent.compose(idleTimeouts(request.timeout));
    let retries = 0;
    let maintenanceWaits = 0;
    let redirects = 0;
    let csrfRetried = false;
    this.#attribution?.apply(request.headers);

    for (;;) {
      if (this.#isClosed()) throw new ClientClosedError();
      if (protectedByCsrf && csrf.enabled && !csrf.trySetHeaders(request.headers)) await csrf.refreshAndSetHeaders(request.headers);

      // The Agent's connect/headers/body timeouts carry settings.timeoutMs at no per-request cost;
      // only a per-call timeout needs a signal of its own.
      const timeoutSignal = request.timeout === undefined ? undefined : AbortSignal.timeout(request.timeout);
      const signal = timeoutSignal === undefined ? request.signal : request.signal ? AbortSignal.any([request.signal, timeoutSignal]) : timeoutSignal;

      let response: Response;
      try {
        response = (await undiciFetch(url, {
          method,
          headers: request.headers as unknown as HeadersInit,
          body: body as never,
          signal,
          dispatcher,
          redirect: "manual", // redirects.ts decides which ones to follow
        })) as unknown as Response;
      } catch (error) {
        const attempt = { method, url, attempts: retries + maintenanceWaits + 1, timeout: request.timeout, timeoutSignal };
        let failure = timeoutSignal?.aborted ? "timeout" : classifyNetworkError(error);
        if (failure === "connect" && !this.#answeredBefore) failure = undefined;
        if (failure === undefined || retries >= maxRetries || request.signal?.aborted || this.#isClosed()) throw this.#failure(error, attempt, request);
        retries++;
        const delay = retryDelayMs(retries, null, settings.retryBaseDelayMs, settings.retryJitterFactor, Math.random, settings.maxRetryDelayMs);
        if (requestEvents.hasSubscribers || settings.logger) this.#announceRetry(method, url, attempt.attempts, maxRetries + 1, delay, { error });
        await this.#wait(delay, request.signal);
        continue;
      }
      this.#answeredBefore = true;

      const status = response.status;
      if (status < 300) {
        const declared = response.headers.get("content-length");
        // (A HEAD response declares the length of a body it does not send.)
        if (declared !== null && Number(declared) > settings.maxResponseBytes && method !== "HEAD") {
          // Refused before reading a byte: buffering would end in V8's out-of-memory abort, which no one can catch.
          response.body?.cancel().catch(() => undefined);
          const init = { method, url, attempts: retries + maintenanceWaits + 1, cause: undefined, limit: settings.maxResponseBytes, declared: Number(declared) };
          throw new ResponseTooLargeError(init);
        }
        return response;
      }
      const attempt = { method, url, attempts: retries + maintenanceWaits + 1, timeout: request.timeout, timeoutSignal };

      if (status < 400) {
        const origin = new URL(request.url).origin;
        const hop = nextHop(status, response.headers.get("location"), url, method, origin, redirects);
        if (hop === undefined) return this.#errorResponse(response, attempt, request);
        if ("refused" in hop) {
          response.body?.cancel().catch(() => undefined);
          throw new HTTPRedirectError({ method, url, attempts: attempt.attempts, status, fromOrigin: origin, toOrigin: hop.toOrigin, reason: hop.refused });
        }
        // A body that can be read only once cannot go along: the caller gets the redirect as a status error.
        if (!hop.dropBody && !isReplayable(body)) return this.#errorResponse(response, attempt, request);
        await discardBody(response, this.#errorBodyLimit);
        redirects++;
        url = hop.url;
        method = hop.method;
        protectedByCsrf = CSRF_METHODS.has(method);
        if (hop.dropBody) {
          body = null;
          for (const name of BODY_HEADERS) request.headers.delete(name);
        }
        continue;
      }

      if (status === 403 && protectedByCsrf && csrf.enabled && !csrfRetried) {
        // Prefect clears the token, fetches a new one and sends the request once more.
        const text = await this.#readErrorBody(response, attempt, request);
        if (text.includes(INVALID_TOKEN_MARKER)) {
          csrfRetried = true;
          csrf.invalidate();
          continue;
        }
        return rebuild(response, text);
      }

      if (!settings.retryCodes.has(status)) return this.#errorResponse(response, attempt, request);
      const maintenance = maintenanceWaits < MAX_MAINTENANCE_WAITS && response.headers.get("prefect-maintenance") === "true";
      if (!maintenance && retries >= maxRetries) return this.#errorResponse(response, attempt, request); // Unlike Prefect: no sleep after the last attempt.
      const retryNumber = maintenance ? Math.max(retries, 1) : retries + 1;
      const delay = retryDelayMs(retryNumber, response.headers.get("retry-after"), settings.retryBaseDelayMs, settings.retryJitterFactor, Math.random, settings.maxRetryDelayMs);
      // Retry-After asks for longer than maxRetryDelayMs: the caller gets the status error now (client.ts names the delay).
      if (delay === Number.POSITIVE_INFINITY) return this.#errorResponse(response, attempt, request);
      if (maintenance) maintenanceWaits++;
      else retries = retryNumber;
      await discardBody(response, this.#errorBodyLimit);
      if (requestEvents.hasSubscribers || settings.logger) this.#announceRetry(method, url, attempt.attempts, maxRetries + 1, delay, { status });
      await this.#wait(delay, request.signal);
    }
  };

  /** A retry event on the request channel and a debug line for the logger, before the wait. */
  #announceRetry(method: string, url: string, attempt: number, maxAttempts: number, delayMs: number, cause: { status: number } | { error: unknown }): void {
    const event: RetryEvent = { type: "retry", phase: "request", method, url, attempt, maxAttempts, delayMs, ...cause };
    if (requestEvents.hasSubscribers) requestEvents.publish(event);
    this.#settings.logger?.debug(retryLine(event));
  }

  /** An error response with its body read (cut at the error-body limit), as openapi-fetch expects one. */
  async #errorResponse(response: Response, attempt: Attempt, request: PreparedRequest): Promise<Response> {
    return rebuild(response, await this.#readErrorBody(response, attempt, request));
  }

  async #readErrorBody(response: Response, attempt: Attempt, request: PreparedRequest): Promise<string> {
    try {
      return await readTextUpTo(response, this.#errorBodyLimit);
    } catch (error) {
      throw this.#failure(error, attempt, request);
    }
  }

  /** The error a failed attempt ends the call with. */
  #failure(error: unknown, attempt: Attempt, request: PreparedRequest): unknown {
    if (request.signal?.aborted) return request.signal.reason;
    if (this.#isClosed()) return new ClientClosedError();
    const { method, url, attempts } = attempt;
    if (attempt.timeoutSignal?.aborted) return new HTTPTimeoutError({ method, url, attempts, cause: new Error(`no response within ${attempt.timeout} ms`) });
    if (exceededResponseSize(error)) return new ResponseTooLargeError({ method, url, attempts, cause: error, limit: this.#settings.maxResponseBytes });
    const init = { method, url, attempts, cause: error };
    return classifyNetworkError(error) === "timeout" ? new HTTPTimeoutError(init) : new HTTPRequestError(init);
  }

  async #wait(ms: number, callerSignal: AbortSignal | null): Promise<void> {
    if (ms <= 0) return;
    const closing = this.#closing.signal;
    // A controller per wait, so neither the client-wide closing signal nor the caller's collects listeners.
    const controller = new AbortController();
    follow(closing, controller);
    if (callerSignal) follow(callerSignal, controller);
    try {
      await this.#settings.sleep(ms, controller.signal);
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (closing.aborted) throw new ClientClosedError();
      throw error;
    } finally {
      unfollow(closing, controller);
      if (callerSignal) unfollow(callerSignal, controller);
    }
    // A custom sleep may ignore the signal.
    if (callerSignal?.aborted) throw callerSignal.reason;
  }
}

/** Sets undici's headers/body timeouts of each request it dispatches. */
function idleTimeouts(ms: number): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => dispatch({ ...options, headersTimeout: ms, bodyTimeout: ms }, handler);
}

/** A response whose body we already read as text, returned as if unread. Keeps the URL for error messages. */
function rebuild(response: Response, text: string): Response {
  // A 304 may not have a body, not even an empty one.
  const copy = new Response(response.status === 304 ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

/** What failed, without anything that could be a secret (undici's messages carry no headers). */
export function describeCause(event: Pick<RetryEvent, "status" | "error">): string {
  if (event.status !== undefined) return `with HTTP ${event.status}`;
  const error = event.error as { code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  const inner = error?.cause ?? error;
  const code = inner?.code ?? error?.code;
  const message = inner?.message ?? String(error);
  return `(${code !== undefined && !message.includes(code) ? `${code}: ` : ""}${message})`;
}

/** "GET http://…/flows/: attempt 1/6 failed with HTTP 503; retrying in 2.0 s", like Prefect's debug line per retry. */
export function retryLine(event: RetryEvent): string {
  const seconds = (event.delayMs / 1000).toFixed(1);
  if (event.phase === "connect") return `connect to ${event.url}: attempt ${event.attempt}/${event.maxAttempts} failed ${describeCause(event)}; retrying in ${seconds} s`;
  return `${event.method} ${event.url}: attempt ${event.attempt}/${event.maxAttempts} failed ${describeCause(event)}; retrying in ${seconds} s`;
}
