// The `fetch` openapi-fetch calls: sends one prepared request over the client's own undici Agent and
// applies Prefect's rules around it (CSRF headers, retries, per-attempt timeouts, maintenance waits).
//
// Why a hand-written loop instead of undici's RetryAgent/RetryHandler: undici's fetch hands the
// dispatcher the request body as a one-shot async iterator, so RetryHandler cannot replay POST/PATCH
// bodies (most Prefect calls); it also replays the same headers (we must refresh the CSRF token between
// attempts and after a 403 "Invalid CSRF token"), counts every retryable response (Prefect-Maintenance
// must not count), and cannot hand back the last retryable response without waiting once more. The
// delay rules themselves are pure functions in retry.ts.
import { Agent, fetch as undiciFetch, type Dispatcher, type HeadersInit } from "undici";
import { ClientClosedError } from "../errors.js";
import { CSRF_METHODS, INVALID_TOKEN_MARKER, type CsrfSession } from "./csrf.js";
import { HTTPRequestError, HTTPTimeoutError } from "./errors.js";
import { MAX_MAINTENANCE_WAITS, classifyNetworkError, retryDelayMs } from "./retry.js";
import type { PreparedRequest } from "./prepared-request.js";
import type { ResolvedSettings } from "./settings.js";

/** Bodies undici can send again on a retry; a stream can be read only once. */
function isReplayable(body: PreparedRequest["body"]): boolean {
  return body === null || typeof body === "string" || body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof URLSearchParams || body instanceof Blob || body instanceof FormData;
}

/** Reads a response we will not return, so its connection goes back to the pool. */
async function discard(response: Response): Promise<void> {
  try {
    await response.arrayBuffer();
  } catch {
    // the connection is closed either way
  }
}

export class HttpTransport {
  readonly #agent: Agent;
  readonly #settings: ResolvedSettings;
  readonly #csrf: CsrfSession;
  readonly #isClosed: () => boolean;
  /** Aborted on close so that a retry waiting out its back-off stops waiting. */
  readonly #closing = new AbortController();
  /** Prefect retries refused connections only to a server that has answered before. */
  #answeredBefore = false;

  constructor(agent: Agent, settings: ResolvedSettings, csrf: CsrfSession, isClosed: () => boolean) {
    this.#agent = agent;
    this.#settings = settings;
    this.#csrf = csrf;
    this.#isClosed = isClosed;
  }

  /** Stops back-off waits; the caller closes the agent. */
  close(): void {
    this.#closing.abort(new ClientClosedError());
  }

  /**
   * Resolves with the first response that is not retried (2xx, a non-retryable error status, or the
   * last retryable one once attempts are used up, without sleeping after it); rejects with
   * ClientClosedError, the caller's abort reason, HTTPTimeoutError or HTTPRequestError.
   * An arrow function so that it is bound once, not per request.
   */
  readonly fetch = async (request: PreparedRequest): Promise<Response> => {
    const settings = this.#settings;
    const method = request.method;
    const csrf = this.#csrf;
    const protectedByCsrf = CSRF_METHODS.has(method);
    const maxRetries = isReplayable(request.body) ? settings.maxRetries : 0;
    // A per-call timeout replaces the Agent's idle timeouts for this call (so it can also be longer).
    const dispatcher = request.timeout === undefined ? this.#agent : this.#agent.compose(idleTimeouts(request.timeout));
    let retries = 0;
    let maintenanceWaits = 0;
    let csrfRetried = false;

    for (;;) {
      if (this.#isClosed()) throw new ClientClosedError();
      if (protectedByCsrf && csrf.enabled && !csrf.trySetHeaders(request.headers)) await csrf.refreshAndSetHeaders(request.headers);

      // The Agent's connect/headers/body timeouts carry settings.timeoutMs at no per-request cost;
      // only a per-call timeout needs a signal of its own.
      const timeoutSignal = request.timeout === undefined ? undefined : AbortSignal.timeout(request.timeout);
      const signal = timeoutSignal === undefined ? request.signal : request.signal ? AbortSignal.any([request.signal, timeoutSignal]) : timeoutSignal;

      let response: Response;
      try {
        response = (await undiciFetch(request.url, {
          method,
          headers: request.headers as unknown as HeadersInit,
          body: request.body as never,
          signal,
          dispatcher,
        })) as unknown as Response;
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        if (this.#isClosed()) throw new ClientClosedError();
        let failure = timeoutSignal?.aborted ? "timeout" : classifyNetworkError(error);
        if (failure === "connect" && !this.#answeredBefore) failure = undefined;
        const attempts = retries + maintenanceWaits + 1;
        if (failure === undefined || retries >= maxRetries) {
          const init = { method, url: request.url, attempts, cause: timeoutSignal?.aborted ? new Error(`no response within ${request.timeout} ms`) : error };
          throw failure === "timeout" ? new HTTPTimeoutError(init) : new HTTPRequestError(init);
        }
        retries++;
        await this.#wait(retryDelayMs(retries, null, settings.retryBaseDelayMs, settings.retryJitterFactor), request.signal);
        continue;
      }
      this.#answeredBefore = true;

      const status = response.status;
      if (status < 400) return response;

      if (status === 403 && protectedByCsrf && csrf.enabled && !csrfRetried) {
        // Prefect clears the token, fetches a new one and sends the request once more.
        const text = await response.text();
        if (text.includes(INVALID_TOKEN_MARKER)) {
          csrfRetried = true;
          csrf.invalidate();
          continue;
        }
        return rebuild(response, text);
      }

      if (!settings.retryCodes.has(status)) return response;
      let retryNumber: number;
      if (response.headers.get("prefect-maintenance") === "true" && maintenanceWaits < MAX_MAINTENANCE_WAITS) {
        maintenanceWaits++;
        retryNumber = Math.max(retries, 1);
      } else {
        if (retries >= maxRetries) return response; // Unlike Prefect: no sleep after the last attempt.
        retryNumber = ++retries;
      }
      const delay = retryDelayMs(retryNumber, response.headers.get("retry-after"), settings.retryBaseDelayMs, settings.retryJitterFactor);
      await discard(response);
      await this.#wait(delay, request.signal);
    }
  };

  async #wait(ms: number, callerSignal: AbortSignal | null): Promise<void> {
    if (ms <= 0) return;
    const closing = this.#closing.signal;
    try {
      await this.#settings.sleep(ms, callerSignal ? AbortSignal.any([callerSignal, closing]) : closing);
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (closing.aborted) throw new ClientClosedError();
      throw error;
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
  const copy = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}
