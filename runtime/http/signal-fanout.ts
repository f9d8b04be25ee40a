// One abort listener per signal, however many calls share it.
//
// undici's fetch adds an "abort" listener to the signal of every request and removes it only when the
// request is garbage-collected, so one long-lived signal passed to many calls (a worker's shutdown
// signal) collects thousands of listeners and ends in MaxListenersExceededWarning. Calls instead give
// undici an AbortController of their own, which this module aborts when the shared signal aborts.

const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/** Aborts `controller` (with the same reason) when `signal` aborts, until `unfollow`. */
export function follow(signal: AbortSignal, controller: AbortController): void {
  if (signal.aborted) {
    controller.abort(signal.reason);
    return;
  }
  let set = followers.get(signal);
  if (set === undefined) {
    const created = new Set<AbortController>();
    set = created;
    followers.set(signal, created);
    signal.addEventListener(
      "abort",
      () => {
        for (const follower of created) follower.abort(signal.reason);
        created.clear();
      },
      { once: true },
    );
  }
  set.add(controller);
}

export function unfollow(signal: AbortSignal, controller: AbortController): void {
  followers.get(signal)?.delete(controller);
}
