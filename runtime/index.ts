export type { ManagedClient, OpenableClient, ClientFactory } from "./client.js";
export { openClient, closeClient } from "./client.js";
export type { ClientEvent, RequestEvent } from "./events.js";
export { CLIENT_EVENTS_CHANNEL, clientEvents, REQUEST_EVENTS_CHANNEL, requestEvents } from "./events.js";
export type { ContextValue, FlowRunContextValue, TaskRunContextValue } from "./context.js";
export { RunContext, ClientContext, FlowRunContext, TaskRunContext } from "./context.js";
export { setClientFactory, setDefaultClientFactory, getClientFactory, getContextClient, getOrCreateClient } from "./resolve.js";
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
} from "./errors.js";
export * from "./http/index.js";
