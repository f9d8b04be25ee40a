import type { ClientFactory, ManagedClient } from "./client.js";
import { assertClientClass, clientClassName, defaultFactoryOf, identityOf, isClientOf, type ClientClass } from "./client-class.js";
import { RESOLUTION_CONTEXTS } from "./context.js";
import { MissingClientFactoryError } from "./errors.js";
import { clientEvents, publishClientEvent } from "./events.js";
import { shared, sharedContextStorage, type ClassIdentity } from "./shared-state.js";

/**
 * Sets a factory: with a class, the one `injected(ThatClass)` and `getOrCreateClient(client, ThatClass)`
 * use instead of the class's default; without one, the fallback for unkeyed resolution. `undefined`
 * removes it. Returns the previous one.
 */
export function setClientFactory<C extends ManagedClient>(key: ClientClass<C>, factory: ClientFactory<C> | undefined): ClientFactory<C> | undefined;
export function setClientFactory(factory: ClientFactory | undefined): ClientFactory | undefined;
export function setClientFactory(...args: [ClientFactory | undefined] | [ClientClass, ClientFactory | undefined]): ClientFactory | undefined {
  if (args.length < 2) {
    const previous = shared.fallback.factory;
    shared.fallback.factory = args[0] as ClientFactory | undefined;
    shared.fallback.isDefault = false;
    return previous;
  }
  const [key, factory] = args as [ClientClass, ClientFactory | undefined];
  assertClientClass(key, "setClientFactory");
  const identity = identityOf(key);
  const previous = shared.classFactories.get(identity);
  if (factory === undefined) shared.classFactories.delete(identity);
  else shared.classFactories.set(identity, factory);
  return previous;
}

/**
 * The fallback factory for unkeyed resolution, unless the user set one (whatever the order).
 * @deprecated Generated clients carry their own default factory now (`injected(TheClass)` finds it).
 */
export function setDefaultClientFactory(factory: ClientFactory): void {
  if (shared.fallback.factory === undefined || shared.fallback.isDefault) {
    shared.fallback.factory = factory;
    shared.fallback.isDefault = true;
  }
}

/**
 * Runs `fn` with `factory` creating the clients of class `key` (or, without a key, those of unkeyed
 * resolution) for every async operation `fn` starts; other call trees are unaffected.
 */
export function withClientFactory<C extends ManagedClient, R>(key: ClientClass<C>, factory: ClientFactory<C>, fn: () => R): R;
export function withClientFactory<R>(factory: ClientFactory, fn: () => R): R;
export function withClientFactory<R>(...args: [ClientClass, ClientFactory, () => R] | [ClientFactory, () => R]): R {
  const keyed = args.length >= 3;
  if (keyed) assertClientClass(args[0], "withClientFactory");
  const [identity, factory, fn] = keyed
    ? [identityOf(args[0] as ClientClass), args[1] as ClientFactory, args[2] as () => R]
    : [undefined, args[0] as ClientFactory, args[1] as () => R];
  if (typeof factory !== "function") throw new TypeError("withClientFactory: the factory must be a function that returns a client.");
  return shared.scopedFactories.run({ identity, factory, parent: shared.scopedFactories.getStore() }, fn);
}

/** The factory resolution would use for `key` (or for unkeyed resolution) here and now. */
export function getClientFactory<C extends ManagedClient>(key?: ClientClass<C>): ClientFactory<C> | undefined {
  return factoryFor(key) as ClientFactory<C> | undefined;
}

function factoryFor(key: ClientClass | undefined): ClientFactory | undefined {
  const identity: ClassIdentity | undefined = key === undefined ? undefined : identityOf(key);
  for (let frame = shared.scopedFactories.getStore(); frame !== undefined; frame = frame.parent) {
    if (frame.identity === identity) return frame.factory;
  }
  if (key === undefined) return shared.fallback.factory;
  return shared.classFactories.get(identity!) ?? defaultFactoryOf(key);
}

const contextStorages = RESOLUTION_CONTEXTS.map((name) => sharedContextStorage<{ client?: ManagedClient | null }>(name));

/**
 * The open client of the first context that has one, innermost run first: ClientContext, then
 * FlowRunContext, then TaskRunContext. With a class, only a client of that class counts.
 */
export function getContextClient<C extends ManagedClient = ManagedClient>(key?: ClientClass<C>): C | undefined {
  for (let index = 0; index < contextStorages.length; index++) {
    for (let frame = contextStorages[index]!.getStore(); frame !== undefined; frame = frame.parent) {
      const client = frame.value.client;
      if (client && !client.closed && (key === undefined || isClientOf(client, key))) return client as C;
    }
  }
  return undefined;
}

/** Which context holds `client`: looked up only when someone traces, so resolution allocates nothing for it. */
function contextNameOf(client: ManagedClient): string {
  for (let index = 0; index < contextStorages.length; index++) {
    for (let frame = contextStorages[index]!.getStore(); frame !== undefined; frame = frame.parent) {
      if (frame.value.client === client) return RESOLUTION_CONTEXTS[index]!;
    }
  }
  return "context";
}

/**
 * Prefect's `get_or_create_client`. The boolean is `true` when the caller does not own the client's
 * lifecycle (passed in or taken from a context) and `false` for a new client the caller must open and
 * close. With `key` (a client class), a context client counts only if it is of that class, and the
 * client is created by that class's factory.
 */
export function getOrCreateClient<C extends ManagedClient = ManagedClient>(client?: C | null, key?: ClientClass<C>): [client: C, inferred: boolean] {
  const traced = clientEvents.hasSubscribers;
  if (client !== undefined && client !== null) {
    if (traced) publishClientEvent({ type: "passed", client });
    return [client, true];
  }
  const fromContext = getContextClient(key);
  if (fromContext) {
    if (traced) publishClientEvent({ type: "context", client: fromContext, context: contextNameOf(fromContext) });
    return [fromContext, true];
  }
  const factory = factoryFor(key);
  if (factory === undefined) throw new MissingClientFactoryError(key === undefined ? undefined : clientClassName(key));
  const created = factory() as C;
  if (traced) publishClientEvent({ type: "created", client: created });
  return [created, false];
}

/**
 * The rewrite's guard around a key it took from an import it could not check (no type checker, as under
 * Vite): the import named a type, not a class, so there is no key at run time.
 */
export function missingClientClass(name: string, from: string): never {
  throw new TypeError(
    `inject-client: \`client\` is declared as ${name} from "${from}", which has no class ${name} at run time (an interface or a type?), ` +
      `so there is no class to resolve. Write \`client: ${name} = injected(TheClientClass)\` with the client class itself.`,
  );
}
