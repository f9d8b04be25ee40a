// `inject-client/runtime/core`: resolution only (contexts, factories, injectClient, errors), without the
// HTTP layer: importing it does not load undici. `inject-client/runtime` is this plus the HTTP client base.
export type { ManagedClient, OpenableClient, ClientFactory } from "./client.js";
export { openClient, closeClient } from "./client.js";
export type { ClientEvent, RequestEvent } from "./events.js";
export { CLIENT_EVENTS_CHANNEL, clientEvents, REQUEST_EVENTS_CHANNEL, requestEvents } from "./events.js";
export type { ClientClass, ClientClassOptions } from "./client-class.js";
export { defineClientClass } from "./client-class.js";
export type { ContextValue, FlowRunContextValue, TaskRunContextValue, RunContextOptions } from "./context.js";
export { RunContext, ClientContext, FlowRunContext, TaskRunContext } from "./context.js";
export {
  setClientFactory,
  setDefaultClientFactory,
  withClientFactory,
  getClientFactory,
  getContextClient,
  getOrCreateClient,
  missingClientClass,
} from "./resolve.js";
export type { ClientOption, CallerOptions, InjectedFunction, InjectClientOptions } from "./inject.js";
export { injectClient, injected } from "./inject.js";
export type { HTTPStatusErrorInit } from "./errors.js";
export {
  ClientClosedError,
  MissingClientFactoryError,
  InjectedNotTransformedError,
  HTTPStatusError,
  ObjectNotFound,
  ObjectAlreadyExists,
  recogniseAcrossCopies,
} from "./errors.js";
