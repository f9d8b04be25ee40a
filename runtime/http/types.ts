// Type helpers over openapi-typescript's operation types, for code that works with a generated
// client's types: `ResponseBody<paths["/flows/{id}"]["get"]>`, `RequestBody<operations["create_flow_flows__post"]>`.
// Generated methods do not use them: their signatures index into `paths` directly, which is cheaper for tsc.

type Json<Content> = Content extends { "application/json": infer Body } ? Body : Content extends Record<string, infer Body> ? Body : never;
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226 | "2XX";

/** The parsed body of an operation's 2xx responses (`undefined` for one without content, e.g. 204). */
export type ResponseBody<Op> = Op extends { responses: infer Responses }
  ? {
      [Status in keyof Responses & SuccessStatus]: Responses[Status] extends { content: infer Content }
        ? [Content] extends [never]
          ? undefined
          : Json<Content>
        : undefined;
    }[keyof Responses & SuccessStatus]
  : never;

/** The JSON request body an operation takes (`never` when it takes none). */
export type RequestBody<Op> = Op extends { requestBody?: infer Body }
  ? NonNullable<Body> extends { content: infer Content }
    ? Json<Content>
    : never
  : never;

/** An operation's path parameters, by name. */
export type PathParams<Op> = Op extends { parameters: { path?: infer Path } } ? NonNullable<Path> : never;

/** An operation's query parameters, by name. */
export type QueryParams<Op> = Op extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

/** What a generated client method resolves with: `MethodResult<PrefectClient, "readFlow">`. */
export type MethodResult<Client, Name extends keyof Client> = Client[Name] extends (...args: never[]) => Promise<infer Result> ? Result : never;
