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

/** One operation sent by a generated client: its final response status, or the error that replaced it. */
export interface RequestEvent {
  type: "request";
  method: string;
  /** The path template, e.g. `/flows/{id}`. */
  path: string;
  url: string;
  status: number | undefined;
  durationMs: number;
  error?: unknown;
}

/**
 * A retry about to wait: published on the request channel before the back-off, so a subscriber sees
 * every attempt that failed and why. `phase: "connect"` is a connect retry of the pool (connect-retry.ts).
 */
export interface RetryEvent {
  type: "retry";
  phase: "request" | "connect";
  method: string;
  /** The URL of the attempt (for a connect retry, the origin). */
  url: string;
  /** The attempt that failed, 1-based, and how many there may be in all. */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  /** The retryable status, or the network error, that caused the retry. */
  status?: number;
  error?: unknown;
}

export const REQUEST_EVENTS_CHANNEL = "inject-client:request";
export const requestEvents = channel(REQUEST_EVENTS_CHANNEL);
