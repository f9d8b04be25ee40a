import { closeClient, openClient, type ManagedClient } from "./client.js";
import { assertClientClass, type ClientClass } from "./client-class.js";
import { InjectedNotTransformedError } from "./errors.js";
import { getOrCreateClient } from "./resolve.js";

/** What an injected function's options parameter must be able to carry. */
export interface ClientOption {
  client?: ManagedClient | null;
}

/** The options a caller may pass: everything the function declares, with `client` optional (or null). */
export type CallerOptions<O> = Omit<O, "client"> & {
  client?: (O extends { client?: infer C } ? Exclude<C, undefined | null> : never) | null;
};

export type InjectedFunction<A extends unknown[], O, R> = (...args: [...A, options?: CallerOptions<O>]) => Promise<R>;

export interface InjectClientOptions {
  /**
   * Index of the options parameter. Defaults to `fn.length - 1`, the last parameter JavaScript
   * counts; set it when that count is wrong, e.g. when the options parameter has a default value.
   */
  optionsIndex?: number;
  /**
   * The client's class: a context client counts only if it is of this class, and a new one comes from
   * this class's factory. Without it, resolution is unkeyed (any open context client, the fallback factory).
   */
  key?: ClientClass;
}

function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Prefect's `inject_client` for code that is not compiled with the transformer.
 *
 * Convention: the options object is the function's last declared parameter, found at index
 * `fn.length - 1`. `fn.length` stops counting at the first parameter with a default value, so
 * declare it without one (`opts: { client: C }`, not `{ client } = {}`) or pass `optionsIndex`;
 * callers may still omit it, because the returned function's type makes it optional and the
 * wrapper always passes an object on.
 *
 * The client is taken from `options.client` (absent, `undefined`, `null` and a missing options
 * object all mean "none") and resolved with `getOrCreateClient`. `fn` receives a copy of the
 * caller's options with the resolved client. A client the wrapper created is opened before `fn`
 * runs and closed exactly once after `fn`'s promise settles; a passed or context client is
 * never opened or closed.
 */
export function injectClient<A extends unknown[], O extends ClientOption, R>(
  fn: (...args: [...A, O]) => Promise<R>,
  config: InjectClientOptions = {},
): InjectedFunction<A, O, R> {
  const optionsIndex = config.optionsIndex ?? fn.length - 1;
  const fnName = fn.name || "anonymous function";
  const key = config.key;
  if (key !== undefined) assertClientClass(key, `injectClient(${fnName})`);
  if (!Number.isInteger(optionsIndex) || optionsIndex < 0) {
    throw new TypeError(
      `injectClient(${fnName}): the function declares no parameter JavaScript counts (fn.length is 0), so there is no options ` +
        "parameter to carry `client`. Declare the options object as the last parameter without a default value, or pass { optionsIndex }.",
    );
  }

  const wrapper = async function (this: unknown, ...args: unknown[]): Promise<R> {
    const given = args[optionsIndex];
    if (given !== undefined && given !== null && !isOptionsObject(given)) {
      throw new TypeError(
        `injectClient(${fnName}): argument ${optionsIndex} should be the options object that carries \`client\`, got ${typeof given}. ` +
          "The options object must be the last declared parameter, without a default value (or pass { optionsIndex }).",
      );
    }
    const options = given ?? undefined;
    const [client, inferred] = getOrCreateClient(options?.client as ManagedClient | null | undefined, key);
    const callArgs = args.length > optionsIndex ? args.slice() : [...args, ...new Array(optionsIndex + 1 - args.length)];
    callArgs[optionsIndex] = { ...options, client };
    if (inferred) return fn.apply(this, callArgs as [...A, O]);

    try {
      await openClient(client);
    } catch (openError) {
      await closeClient(client).catch(() => undefined);
      throw openError;
    }
    let result: R;
    try {
      result = await fn.apply(this, callArgs as [...A, O]);
    } catch (bodyError) {
      await closeClient(client).catch(() => undefined);
      throw bodyError;
    }
    await closeClient(client);
    return result;
  };

  Object.defineProperty(wrapper, "name", { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, "length", { value: fn.length, configurable: true });
  return wrapper as unknown as InjectedFunction<A, O, R>;
}

function callerName(): string | undefined {
  // Stack line 0 is the message, 1 is injected() itself, 2 the function whose default ran it.
  const line = new Error().stack?.split("\n")[3] ?? "";
  const name = /^\s*at (?:async )?([^\s(]+)/.exec(line)?.[1];
  return name && name !== "<anonymous>" ? name : undefined;
}

/**
 * Typed placeholder for `client: C = injected(C)`: callers may omit the client, the body sees a
 * non-optional one, and `key` is the class the client is resolved by (the transformer's rewrite passes
 * it to `getOrCreateClient`). Without a key the transformer takes the class from the annotation. The
 * transformer removes the call; reaching it at run time means the function was not transformed.
 */
export function injected<C extends ManagedClient>(key: ClientClass<C>): C;
export function injected<T = never>(): T;
export function injected(_key?: ClientClass): never {
  throw new InjectedNotTransformedError(callerName());
}
