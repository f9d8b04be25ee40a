// Prints what happened: every HTTP call and, for every injected call, where its client came from.
// Both come from inject-client's diagnostics channels, which cost nothing when nobody subscribes.
import { subscribe } from "node:diagnostics_channel";
import { CLIENT_EVENTS_CHANNEL, REQUEST_EVENTS_CHANNEL, type ClientEvent, type RequestEvent, type RetryEvent } from "inject-client/runtime";

const names = new WeakMap<object, string>();
let counter = 0;
function nameOf(client: object): string {
  let name = names.get(client);
  if (!name) {
    name = `client #${++counter}`;
    names.set(client, name);
  }
  return name;
}

export function describeClient(client: object, label: string): void {
  names.set(client, label);
}

export function traceToConsole(): void {
  subscribe(CLIENT_EVENTS_CHANNEL, (message) => {
    const event = message as ClientEvent;
    const client = nameOf(event.client);
    const text = {
      passed: `client: passed by the caller (${client})`,
      context: `client: from ${"context" in event ? event.context : "context"} (${client})`,
      created: `client: none passed or in context: created ${client}`,
      opened: `client: opened ${client}`,
      closed: `client: closed ${client}`,
    }[event.type];
    console.log(`    ${text}`);
  });
  subscribe(REQUEST_EVENTS_CHANNEL, (message) => {
    const event = message as RequestEvent | RetryEvent;
    if (event.type === "retry") {
      const cause = event.status !== undefined ? `HTTP ${event.status}` : String(event.error);
      console.log(
        `    ${event.method} ${new URL(event.url).pathname} attempt ${event.attempt}/${event.maxAttempts} -> ${cause}; retrying in ${(event.delayMs / 1000).toFixed(1)} s`,
      );
      return;
    }
    const outcome = event.status === undefined ? `no response (${String(event.error)})` : String(event.status);
    console.log(`    ${event.method} ${event.path} -> ${outcome}`);
  });
}
