import type { ClientFactory, ManagedClient } from "./client.js";
import { ClientContext, FlowRunContext, TaskRunContext } from "./context.js";
import { MissingClientFactoryError } from "./errors.js";
import { clientEvents, publishClientEvent } from "./events.js";

let clientFactory: ClientFactory | undefined;
let factoryIsDefault = false;

/** Sets the factory used when no client is passed or found in a context; returns the previous one. */
export function setClientFactory(factory: ClientFactory | undefined): ClientFactory | undefined {
  const previous = clientFactory;
  clientFactory = factory;
  factoryIsDefault = false;
  return previous;
}

/**
 * Registers a factory only if none was set by the user: generated clients call this on import
 * so that an explicit `setClientFactory` always wins, whatever the import order.
 */
export function setDefaultClientFactory(factory: ClientFactory): void {
  if (clientFactory === undefined || factoryIsDefault) {
    clientFactory = factory;
    factoryIsDefault = true;
  }
}

export function getClientFactory(): ClientFactory | undefined {
  return clientFactory;
}

const contextsInOrder = [ClientContext, FlowRunContext, TaskRunContext] as const;

/** The open client of the first context that has one: ClientContext, then FlowRunContext, then TaskRunContext. */
export function getContextClient(): ManagedClient | undefined {
  for (const context of contextsInOrder) {
    const client = context.get()?.client;
    if (client && !client.closed) return client;
  }
  return undefined;
}

/** Which context holds `client`: looked up only when someone traces, so resolution allocates nothing for it. */
function contextNameOf(client: ManagedClient): string {
  return contextsInOrder.find((context) => context.get()?.client === client)!.name;
}

/**
 * Prefect's `get_or_create_client`. The boolean is `true` when the caller does not own the
 * client's lifecycle (passed in or taken from a context) and `false` for a new client the
 * caller must open and close.
 */
export function getOrCreateClient<C extends ManagedClient = ManagedClient>(client?: C | null): [client: C, inferred: boolean] {
  const traced = clientEvents.hasSubscribers;
  if (client !== undefined && client !== null) {
    if (traced) publishClientEvent({ type: "passed", client });
    return [client, true];
  }
  const fromContext = getContextClient();
  if (fromContext) {
    if (traced) publishClientEvent({ type: "context", client: fromContext, context: contextNameOf(fromContext) });
    return [fromContext as C, true];
  }
  if (!clientFactory) throw new MissingClientFactoryError();
  const created = clientFactory() as C;
  if (traced) publishClientEvent({ type: "created", client: created });
  return [created, false];
}
