/**
 * Typed listeners. A listener that throws is the app's bug, not the connection's: it is reported to `onListenerError`
 * (the client turns it into a `warning`) and the other listeners still run, so one broken view cannot stop delivery.
 */
export type Listener<T> = (value: T) => void;
export type Unsubscribe = () => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): Unsubscribe {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  emit<K extends keyof Events>(name: K, value: Events[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

/**
 * A value that changes over time: `get()` the current one, `subscribe()` to the next ones. Shaped for React's
 * `useSyncExternalStore(observable.subscribe, observable.get)`: the value is replaced, never mutated.
 */
export interface Observable<T> {
  get(): T;
  subscribe(listener: Listener<T>): Unsubscribe;
}

export class Value<T> implements Observable<T> {
  private readonly emitter: Emitter<{ change: T }>;

  constructor(
    private current: T,
    onListenerError?: (error: unknown) => void,
  ) {
    this.emitter = new Emitter(onListenerError);
  }

  readonly get = (): T => this.current;

  readonly subscribe = (listener: Listener<T>): Unsubscribe => this.emitter.on('change', listener);

  set(next: T): void {
    this.current = next;
    this.emitter.emit('change', next);
  }
}
