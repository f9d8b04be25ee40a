import { channel } from "node:diagnostics_channel";
import type { ManagedClient } from "./client.js";

/**
 * Where a resolved client came from, and its lifecycle. Published on a `node:diagnostics_channel`
 * so that tracing costs nothing unless someone subscribes (a demo, a logger, an APM agent).
 */
export type ClientEvent =
  | { type: "passed"; client: ManagedClient }
  | { type: "context"; client: ManagedClient; context: string }
  | { type: "created"; client: ManagedClient }
  | { type: "opened"; client: ManagedClient }
  | { type: "closed"; client: ManagedClient };

/** Subscribe with `clientEvents.subscribe((event) => …)` (or `diagnostics_channel.subscribe(CLIENT_EVENTS_CHANNEL, …)`). */
export const CLIENT_EVENTS_CHANNEL = "inject-client:client";
export const clientEvents = channel(CLIENT_EVENTS_CHANNEL);

export function publishClientEvent(event: ClientEvent): void {
  clientEvents.publish(event);
}
