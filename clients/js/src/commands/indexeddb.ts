/**
 * The offline buffer in IndexedDB, so commands survive a reload, a crash or a closed tab and are sent when the
 * app connects again. Tabs that share the database may both send a restored command: with the same `commandId`
 * it acts once.
 */
import type { BufferedCommand, CommandBuffer } from './buffer.js';

export interface IndexedDbBufferOptions {
  /** database name (default `chat-central-commands`) */
  name?: string;
  /** the factory to use (default `globalThis.indexedDB`; tests pass fake-indexeddb's) */
  indexedDB?: IDBFactory;
}

const STORE = 'commands';

export class IndexedDbCommandBuffer implements CommandBuffer {
  private db: Promise<IDBDatabase> | undefined;

  constructor(private readonly options: IndexedDbBufferOptions = {}) {}

  async load(): Promise<BufferedCommand[]> {
    return this.run('readonly', (store) => store.getAll() as IDBRequest<BufferedCommand[]>);
  }

  async put(command: BufferedCommand): Promise<void> {
    await this.run('readwrite', (store) => store.put(command));
  }

  async delete(commandId: string): Promise<void> {
    await this.run('readwrite', (store) => store.delete(commandId));
  }

  /** Closes the database connection (a later call opens it again). */
  close(): void {
    const db = this.db;
    this.db = undefined;
    void db?.then((d) => d.close(), () => {});
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const factory = this.options.indexedDB ?? globalThis.indexedDB;
      if (!factory) {
        reject(new Error('IndexedDB is not available here'));
        return;
      }
      const request = factory.open(this.options.name ?? 'chat-central-commands', 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'commandId' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    // a failed open is not cached: the next call tries again
    this.db.catch(() => {
      this.db = undefined;
    });
    return this.db;
  }

  private async run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    return new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      // resolve when the transaction is durable, not merely when the request succeeded
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    });
  }
}
