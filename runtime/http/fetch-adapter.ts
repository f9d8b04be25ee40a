// The `fetch` openapi-fetch calls for the client's `api` escape hatch: a PreparedRequest (openapi-fetch's
// `Request` option) goes through the same transport as the generated methods, and the result comes back
// as a WHATWG Response, the one place on this client where one is built.
import { ResponseTooLargeError } from "./errors.js";
import type { PreparedRequest } from "./prepared-request.js";
import { webStream } from "./read-body.js";
import { toHeaders, type HttpTransport } from "./transport.js";
import { isStream, type WireBody } from "./wire/body.js";

/** Statuses whose Response may not have a body, not even an empty one. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** `origin` and request target of an absolute URL, the target kept as written (no dot-segment resolution). */
export function splitUrl(url: string): { origin: string; path: string } {
  const parsed = new URL(url);
  const origin = parsed.origin;
  // The part after the authority, as written: WHATWG URL would resolve "%2E%2E" in `pathname`.
  const afterScheme = url.indexOf("//") + 2;
  const slash = url.indexOf("/", afterScheme);
  const query = url.indexOf("?", afterScheme);
  const start = slash === -1 ? query : query === -1 ? slash : Math.min(slash, query);
  let path = start === -1 ? "/" : url.slice(start);
  const hash = path.indexOf("#");
  if (hash !== -1) path = path.slice(0, hash);
  if (path.startsWith("?")) path = `/${path}`;
  return { origin, path };
}

export function fetchAdapter(transport: HttpTransport, maxResponseBytes: number): (request: PreparedRequest) => Promise<Response> {
  return async (request) => {
    const { origin, path } = splitUrl(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    let body = request.body as WireBody | URLSearchParams | null;
    if (body instanceof URLSearchParams) body = body.toString();
    const incoming = await transport.send({
      method: request.method,
      origin,
      path,
      headers,
      body,
      replayable: !isStream(body),
      signal: request.signal ?? undefined,
      timeout: request.timeout,
      streaming: false,
    });
    const init = { status: incoming.status, headers: toHeaders(incoming.headers) };
    let response: Response;
    if (incoming.body !== undefined && NULL_BODY.has(incoming.status)) {
      await incoming.body.dump();
      response = new Response(null, init);
    } else if (incoming.body !== undefined) {
      const limited = webStream(incoming.body, {
        limit: maxResponseBytes,
        tooLarge: () =>
          new ResponseTooLargeError({
            method: incoming.method,
            url: incoming.url,
            attempts: incoming.attempts,
            cause: undefined,
            limit: maxResponseBytes,
          }),
      });
      response = new Response(limited, init);
    } else {
      response = new Response(NULL_BODY.has(incoming.status) ? null : incoming.text, init);
    }
    // Error messages and openapi-fetch's callers see the URL that answered.
    Object.defineProperty(response, "url", { value: incoming.url });
    return response;
  };
}
