import { clientEvents, publishClientEvent } from "./events.js";

/**
 * What the runtime manages. `closed` lets resolution skip a context client that
 * was already disposed (Prefect does not check this; we do).
 */
export interface ManagedClient {
  readonly closed: boolean;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A client that needs set-up before its first request (connection pools, version checks, ...). */
export interface OpenableClient extends ManagedClient {
  open(): Promise<void>;
}

export type ClientFactory<C extends ManagedClient = ManagedClient> = () => C;

function isOpenable(client: ManagedClient): client is OpenableClient {
  return typeof (client as Partial<OpenableClient>).open === "function";
}

/** Opens a client the runtime created. Clients without `open()` need nothing. */
export async function openClient(client: ManagedClient): Promise<void> {
  if (isOpenable(client)) await client.open();
  if (clientEvents.hasSubscribers) publishClientEvent({ type: "opened", client });
}

/** Closes a client the runtime created. */
export async function closeClient(client: ManagedClient): Promise<void> {
  await client[Symbol.asyncDispose]();
  if (clientEvents.hasSubscribers) publishClientEvent({ type: "closed", client });
}
