// Sends one request over the client's own undici dispatcher with `dispatcher.request()` (no WHATWG
// fetch: no Request, Response or Headers objects, no URL parsing of the path, which is sent exactly as
// the serializers wrote it) and applies Prefect's rules around it (CSRF headers, retries, per-attempt
// timeouts, maintenance waits), plus the limits a hostile server must not get past (redirects.ts,
// read-body.ts; the pool's own caps are in connection-pool.ts).
//
// Why a hand-written loop instead of undici's RetryAgent/RetryHandler: it replays the same headers (we
// must refresh the CSRF token between attempts and after a 403 "Invalid CSRF token"), counts every
// retryable response (Prefect-Maintenance must not count), and cannot hand back the last retryable
// response without waiting once more. The delay rules themselves are pure functions in retry.ts.
import type { Dispatcher } from "undici";
import { ClientClosedError } from "../errors.js";
import { requestEvents, type RetryEvent } from "../events.js";
import type { Attribution } from "./attribution.js";
import { CSRF_METHODS, INVALID_TOKEN_MARKER, type CsrfSession } from "./csrf.js";
import { HTTPRedirectError, HTTPRequestError, HTTPTimeoutError, ResponseTooLargeError } from "./errors.js";
import { BodyTooLargeError, contentLength, discardBody, readTextUpTo, type ResponseBody } from "./read-body.js";
import { BODY_HEADERS, nextHop } from "./redirects.js";
import { MAX_MAINTENANCE_WAITS, classifyNetworkError, exceededResponseSize, retryDelayMs } from "./retry.js";
import type { ResolvedSettings } from "./settings.js";
import { follow, unfollow } from "./signal-fanout.js";
import type { WireBody } from "./wire/body.js";

/** Response headers as undici parses them: lower-case names, repeated headers as arrays. */
export type IncomingHttpHeaders = Dispatcher.ResponseData["headers"];

/** One call as the transport sends it. */
export interface OutgoingRequest {
  /** Upper-case. */
  method: string;
  /** `http://127.0.0.1:4200`: where the request goes; redirects must stay on it. */
  origin: string;
  /** The request target, percent-encoded as it goes on the wire: `/api/flows/%2E%2E?limit=1`. */
  path: string;
  /** Lower-case names. May be shared (the client's static headers): the transport copies it before it changes anything. */
  headers: Readonly<Record<string, string>>;
  body: WireBody | null;
  /** False for a stream body: it can be sent once, so the call is not retried. */
  replayable: boolean;
  /** The caller's signal; the transport gives undici a signal of its own per attempt (signal-fanout.ts). */
  signal: AbortSignal | undefined;
  /** CallOptions.timeout: replaces the Agent's timeouts for this call, and is a deadline for each attempt. */
  timeout: number | undefined;
  /** A 2xx body the caller streams: not bounded by maxResponseBytes, and the deadline ends with the headers. */
  streaming: boolean;
}

/** The response that ends the call (not retried, not redirected). */
export interface IncomingResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The method and URL of the request that got this response (after redirects). */
  method: string;
  url: string;
  attempts: number;
  /** A 2xx body, unread: the caller reads or destroys it. */
  body: ResponseBody | undefined;
  /** Any other status: its body as text, at most maxErrorBodyBytes of it. */
  text: string;
}

/** The per-call deadline (CallOptions.timeout) ended an attempt. */
export class DeadlineExceeded extends Error {
  override name = "DeadlineExceeded";
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
  }
}

/** What an attempt was: for error messages and for telling our own deadline from other aborts. */
interface Attempt {
  method: string;
  url: string;
  attempts: number;
  controller: AbortController | undefined;
}

function abortAttempt(controller: AbortController, timeoutMs: number): void {
  controller.abort(new DeadlineExceeded(timeoutMs));
}

/** The first value of a header undici may have collected into an array. */
export function headerText(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === "string" ? value : (value[0] ?? null);
}

/** undici's header record as WHATWG Headers, for errors and streamed responses (never on the buffered path). */
export function toHeaders(headers: IncomingHttpHeaders): Headers {
  const result = new Headers();
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    try {
      if (typeof value === "string") result.append(name, value);
      else for (const item of value) result.append(name, item);
    } catch {
      // a header WHATWG Headers refuses (undici's parser is more lenient): left out
    }
  }
  return result;
}

const noop = () => undefined;

export class HttpTransport {
  readonly #agent: Dispatcher;
  /** False for dispatchers that may write to a request's headers: they get a copy per attempt. */
  readonly #shareHeaders: boolean;
  readonly #attribution: Attribution | undefined;
  readonly #settings: ResolvedSettings;
  readonly #csrf: CsrfSession;
  readonly #isClosed: () => boolean;
  readonly #errorBodyLimit: number;
  /** Aborted on close so that a retry waiting out its back-off stops waiting. */
  readonly #closing = new AbortController();
  /** Prefect retries refused connections only to a server that has answered before. */
  #answeredBefore = false;

  constructor(
    agent: Dispatcher,
    shareHeaders: boolean,
    settings: ResolvedSettings,
    csrf: CsrfSession,
    isClosed: () => boolean,
    attribution?: Attribution,
  ) {
    this.#agent = agent;
    this.#shareHeaders = shareHeaders;
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
   */
  async send(request: OutgoingRequest): Promise<IncomingResponse> {
    const settings = this.#settings;
    const csrf = this.#csrf;
    const { origin, timeout, signal: callerSignal } = request;
    // A redirect may change these; the request's own fields describe the call as it was made.
    let method = request.method;
    let path = request.path;
    let body = request.body;
    let replayable = request.replayable;
    let headers = request.headers as Record<string, string>;
    let ownHeaders = false;
    const own = (): Record<string, string> => {
      if (!ownHeaders) {
        headers = { ...headers };
        ownHeaders = true;
      }
      return headers;
    };
    let protectedByCsrf = CSRF_METHODS.has(method);
    const maxRetries = replayable ? settings.maxRetries : 0;
    let retries = 0;
    let maintenanceWaits = 0;
    let redirects = 0;
    let csrfRetried = false;
    this.#attribution?.apply(own);

    for (;;) {
      if (this.#isClosed()) throw new ClientClosedError();
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (protectedByCsrf && csrf.enabled && !csrf.trySetHeaders(own())) await csrf.refreshAndSetHeaders(own());
      const url = origin + path;

      // undici adds an abort listener per request to the signal it gets (removed when the body closes), so
      // a signal shared by many calls would collect them: each attempt gets a controller of its own that
      // follows the caller's (signal-fanout.ts), and carries the call's deadline when it has one.
      let controller: AbortController | undefined;
      let timer: NodeJS.Timeout | undefined;
      if (callerSignal !== undefined || timeout !== undefined) {
        controller = new AbortController();
        if (callerSignal !== undefined) follow(callerSignal, controller);
        if (timeout !== undefined) timer = setTimeout(abortAttempt, timeout, controller, timeout);
      }
      const release =
        controller === undefined
          ? undefined
          : () => {
              if (timer !== undefined) clearTimeout(timer);
              if (callerSignal !== undefined) unfollow(callerSignal, controller!);
            };
      const attempt: Attempt = { method, url, attempts: retries + maintenanceWaits + 1, controller };

      let response: Dispatcher.ResponseData;
      try {
        response = await this.#agent.request({
          origin,
          path,
          method: method as Dispatcher.HttpMethod,
          headers: this.#shareHeaders ? headers : { ...headers },
          body: body as Dispatcher.RequestOptions["body"],
          signal: controller?.signal,
          // A per-call timeout replaces the Agent's idle timeouts for this call (so it can also be longer).
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
      } catch (error) {
        release?.();
        let failure = isDeadline(controller) ? "timeout" : classifyNetworkError(error);
        if (failure === "connect" && !this.#answeredBefore) failure = undefined;
        if (failure === undefined || retries >= maxRetries || callerSignal?.aborted || this.#isClosed())
          throw this.#failure(error, attempt, callerSignal);
        retries++;
        const delay = retryDelayMs(retries, null, settings.retryBaseDelayMs, settings.retryJitterFactor, Math.random, settings.maxRetryDelayMs);
        if (requestEvents.hasSubscribers || settings.logger) this.#announceRetry(method, url, attempt.attempts, maxRetries + 1, delay, { error });
        await this.#wait(delay, callerSignal);
        continue;
      }
      this.#answeredBefore = true;

      const status = response.statusCode;
      const responseHeaders = response.headers;
      const responseBody = response.body;
      // (A HEAD response declares the length of a body it does not send.)
      const declared = method === "HEAD" ? undefined : contentLength(responseHeaders["content-length"]);
      if (status < 300) {
        if (!request.streaming && declared !== undefined && declared > settings.maxResponseBytes) {
          // Refused before reading a byte: buffering would end in V8's out-of-memory abort, which no one can catch.
          responseBody.on("error", noop).destroy();
          release?.();
          throw new ResponseTooLargeError({ method, url, attempts: attempt.attempts, cause: undefined, limit: settings.maxResponseBytes, declared });
        }
        if (release !== undefined) {
          // A streamed body may take as long as it takes; undici's bodyTimeout still bounds each wait for data.
          if (request.streaming && timer !== undefined) clearTimeout(timer);
          responseBody.once("close", release);
        }
        return { status, headers: responseHeaders, method, url, attempts: attempt.attempts, body: responseBody, text: "" };
      }

      if (status < 400) {
        const hop = nextHop(status, headerText(responseHeaders.location), url, method, origin, redirects);
        if (hop === undefined) return this.#errorResponse(status, responseHeaders, responseBody, declared, attempt, release, callerSignal);
        if ("refused" in hop) {
          responseBody.on("error", noop).destroy();
          release?.();
          throw new HTTPRedirectError({
            method,
            url,
            attempts: attempt.attempts,
            status,
            fromOrigin: origin,
            toOrigin: hop.toOrigin,
            reason: hop.refused,
          });
        }
        // A body that can be read only once cannot go along: the caller gets the redirect as a status error.
        if (!hop.dropBody && !replayable) return this.#errorResponse(status, responseHeaders, responseBody, declared, attempt, release, callerSignal);
        await discardBody(responseBody, this.#errorBodyLimit, declared);
        release?.();
        redirects++;
        const target = new URL(hop.url);
        path = target.pathname + target.search;
        method = hop.method;
        protectedByCsrf = CSRF_METHODS.has(method);
        if (hop.dropBody) {
          body = null;
          replayable = true;
          const owned = own();
          for (const name of BODY_HEADERS) delete owned[name];
        }
        continue;
      }

      if (status === 403 && protectedByCsrf && csrf.enabled && !csrfRetried) {
        // Prefect clears the token, fetches a new one and sends the request once more.
        const text = await this.#readErrorBody(responseBody, declared, attempt, release, callerSignal);
        if (text.includes(INVALID_TOKEN_MARKER)) {
          csrfRetried = true;
          csrf.invalidate();
          continue;
        }
        return { status, headers: responseHeaders, method, url, attempts: attempt.attempts, body: undefined, text };
      }

      if (!settings.retryCodes.has(status))
        return this.#errorResponse(status, responseHeaders, responseBody, declared, attempt, release, callerSignal);
      const maintenance = maintenanceWaits < MAX_MAINTENANCE_WAITS && headerText(responseHeaders["prefect-maintenance"]) === "true";
      // Unlike Prefect: no sleep after the last attempt.
      if (!maintenance && retries >= maxRetries)
        return this.#errorResponse(status, responseHeaders, responseBody, declared, attempt, release, callerSignal);
      const retryNumber = maintenance ? Math.max(retries, 1) : retries + 1;
      const delay = retryDelayMs(
        retryNumber,
        headerText(responseHeaders["retry-after"]),
        settings.retryBaseDelayMs,
        settings.retryJitterFactor,
        Math.random,
        settings.maxRetryDelayMs,
      );
      // Retry-After asks for longer than maxRetryDelayMs: the caller gets the status error now (client.ts names the delay).
      if (delay === Number.POSITIVE_INFINITY)
        return this.#errorResponse(status, responseHeaders, responseBody, declared, attempt, release, callerSignal);
      if (maintenance) maintenanceWaits++;
      else retries = retryNumber;
      await discardBody(responseBody, this.#errorBodyLimit, declared);
      release?.();
      if (requestEvents.hasSubscribers || settings.logger) this.#announceRetry(method, url, attempt.attempts, maxRetries + 1, delay, { status });
      await this.#wait(delay, callerSignal);
    }
  }

  /** A retry event on the request channel and a debug line for the logger, before the wait. */
  #announceRetry(
    method: string,
    url: string,
    attempt: number,
    maxAttempts: number,
    delayMs: number,
    cause: { status: number } | { error: unknown },
  ): void {
    const event: RetryEvent = { type: "retry", phase: "request", method, url, attempt, maxAttempts, delayMs, ...cause };
    if (requestEvents.hasSubscribers) requestEvents.publish(event);
    this.#settings.logger?.debug(retryLine(event));
  }

  /** An error response, its body read (cut at the error-body limit). */
  async #errorResponse(
    status: number,
    headers: IncomingHttpHeaders,
    body: ResponseBody,
    declared: number | undefined,
    attempt: Attempt,
    release: (() => void) | undefined,
    callerSignal: AbortSignal | undefined,
  ): Promise<IncomingResponse> {
    const text = await this.#readErrorBody(body, declared, attempt, release, callerSignal);
    return { status, headers, method: attempt.method, url: attempt.url, attempts: attempt.attempts, body: undefined, text };
  }

  async #readErrorBody(
    body: ResponseBody,
    declared: number | undefined,
    attempt: Attempt,
    release: (() => void) | undefined,
    callerSignal: AbortSignal | undefined,
  ): Promise<string> {
    try {
      return await readTextUpTo(body, this.#errorBodyLimit, declared);
    } catch (error) {
      throw this.#failure(error, attempt, callerSignal);
    } finally {
      release?.();
    }
  }

  /** The error a failed attempt ends the call with. */
  #failure(error: unknown, attempt: Attempt, callerSignal: AbortSignal | undefined): unknown {
    if (callerSignal?.aborted) return callerSignal.reason;
    if (this.#isClosed()) return new ClientClosedError();
    const { method, url, attempts } = attempt;
    if (isDeadline(attempt.controller)) return new HTTPTimeoutError({ method, url, attempts, cause: attempt.controller!.signal.reason });
    if (error instanceof BodyTooLargeError || exceededResponseSize(error))
      return new ResponseTooLargeError({ method, url, attempts, cause: error, limit: this.#settings.maxResponseBytes });
    const init = { method, url, attempts, cause: error };
    return classifyNetworkError(error) === "timeout" ? new HTTPTimeoutError(init) : new HTTPRequestError(init);
  }

  async #wait(ms: number, callerSignal: AbortSignal | undefined): Promise<void> {
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

function isDeadline(controller: AbortController | undefined): boolean {
  return controller !== undefined && controller.signal.aborted && controller.signal.reason instanceof DeadlineExceeded;
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
  if (event.phase === "connect")
    return `connect to ${event.url}: attempt ${event.attempt}/${event.maxAttempts} failed ${describeCause(event)}; retrying in ${seconds} s`;
  return `${event.method} ${event.url}: attempt ${event.attempt}/${event.maxAttempts} failed ${describeCause(event)}; retrying in ${seconds} s`;
}
