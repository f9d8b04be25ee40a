import { createHash } from "node:crypto";
import type { ClientFactory, ManagedClient } from "./client.js";
import type { ClassIdentity } from "./shared-state.js";

/** A client class used as a key: `injected(PrefectClient)`, `setClientFactory(PrefectClient, …)`. */
export type ClientClass<C extends ManagedClient = ManagedClient> = abstract new (...args: never[]) => C;

export interface ClientClassOptions<C extends ManagedClient> {
  /**
   * The class's name in messages, and (with `operations`) its identity in the process: instances made by
   * another copy of the class's module (an ES-module and a CommonJS copy, say) count as instances.
   */
  name: string;
  /** A generated client's operations table: two generated classes of the same name from different specs stay apart. */
  operations?: object;
  /** What `injected(TheClass)` creates when no client is passed and none of this class is open in a context. */
  defaultFactory?: ClientFactory<C>;
}

interface ClientClassRecord {
  readonly id: string;
  readonly name: string;
  readonly defaultFactory: ClientFactory | undefined;
}

// Versioned like the shared state: copies of the runtime read each other's records.
const CLIENT_CLASS = Symbol.for("inject-client.client-class/1");

function recordOf(cls: object): ClientClassRecord | undefined {
  // Own property only: a subclass is a class of its own, and its parent's default factory would make the parent.
  return Object.hasOwn(cls, CLIENT_CLASS) ? (cls as { [CLIENT_CLASS]: ClientClassRecord })[CLIENT_CLASS] : undefined;
}

/**
 * Marks a client class for resolution: its identity across copies of its module, its name, and its
 * default factory. Generated clients call it in a static block; a hand-written client class may too.
 */
export function defineClientClass<C extends ManagedClient>(cls: ClientClass<C>, options: ClientClassOptions<C>): void {
  const digest =
    options.operations === undefined ? undefined : createHash("sha256").update(JSON.stringify(options.operations)).digest("hex").slice(0, 16);
  const record: ClientClassRecord = Object.freeze({
    id: digest === undefined ? options.name : `${options.name}#${digest}`,
    name: options.name,
    defaultFactory: options.defaultFactory,
  });
  Object.defineProperty(cls, CLIENT_CLASS, { value: record });
}

/** The key factories and scoped overrides are stored under: shared by copies of a defined class. */
export function identityOf(cls: ClientClass): ClassIdentity {
  return recordOf(cls)?.id ?? cls;
}

export function clientClassName(cls: ClientClass): string {
  return recordOf(cls)?.name ?? (cls.name || "the client class");
}

export function defaultFactoryOf(cls: ClientClass): ClientFactory | undefined {
  return recordOf(cls)?.defaultFactory;
}

/** `client instanceof cls`, or an instance of another copy of the same defined class. */
export function isClientOf(client: ManagedClient, cls: ClientClass): boolean {
  if (client instanceof cls) return true;
  const wanted = recordOf(cls);
  if (wanted === undefined) return false;
  for (let proto: object | null = Object.getPrototypeOf(client); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (!Object.hasOwn(proto, "constructor")) continue;
    const constructor = (proto as { constructor: unknown }).constructor;
    if (typeof constructor === "function" && recordOf(constructor)?.id === wanted.id) return true;
  }
  return false;
}

/** For entry points users call with a key: a clear error instead of `instanceof`'s TypeError later. */
export function assertClientClass(key: unknown, where: string): asserts key is ClientClass {
  if (typeof key !== "function") {
    throw new TypeError(`${where}: the key must be a client class (e.g. PrefectClient), got ${key === null ? "null" : typeof key}.`);
  }
}
