/**
 * The embedded default of the key-value store: a Keyv store adapter over one JSON file, for a
 * gateway that runs without Redis. Every change is written to a temporary file and renamed over the
 * store file (atomic on POSIX: a reader sees the old or the new file, never half of one), under a
 * lock file that serialises writers across processes, so several instances may share one data
 * directory. Entries carry their expiry and are never returned after it; expired entries are
 * dropped on the next write.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/** One stored entry: the value as Keyv serialised it, and when it expires (epoch ms; null: never). */
interface Entry {
  value: unknown;
  expires: number | null;
}

/** The file's content. */
interface FileContent {
  version: 1;
  entries: Record<string, Entry>;
}

/** Options of {@link FileStore}. */
export interface FileStoreOptions {
  /** Path of the store file (its directory is created when missing). */
  file: string;
  /** A lock file older than this is left over by a process that died, and is broken (default 10 s). */
  staleLockMs?: number;
  /** Gives up taking the lock after this long (default 10 s). */
  lockTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A Keyv store adapter over one JSON file. Besides the adapter methods it has
 * {@link FileStore.setIfAbsent}, the atomic claim the idempotency records need. Keys are prefixed
 * with the namespace (`<namespace>::<key>`), as `@keyv/redis` does, so Keyv runs it with
 * `useKeyPrefix: false`. Methods throw on I/O failures.
 */
export class FileStore extends EventEmitter implements KeyvStoreAdapter {
  namespace: string | undefined;
  readonly file: string;
  private readonly lockFile: string;
  private readonly staleLockMs: number;
  private readonly lockTimeoutMs: number;
  /** In-process writers queue here, so only one of them contends for the lock file at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The last file read, kept while the file is unchanged (same inode, size and modification time). */
  private cache: { stamp: string; content: FileContent } | undefined;

  constructor(options: FileStoreOptions) {
    super();
    this.file = options.file;
    this.lockFile = `${options.file}.lock`;
    this.staleLockMs = options.staleLockMs ?? 10_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  }

  get opts(): Record<string, unknown> {
    return { dialect: 'file', file: this.file, namespace: this.namespace };
  }

  /** The stored key of `key`: prefixed with the namespace, like `@keyv/redis`. */
  prefixed(key: string): string {
    return this.namespace ? `${this.namespace}::${key}` : key;
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const entry = (await this.read()).entries[this.prefixed(key)];
    return entry && !expired(entry) ? (entry.value as StoredData<Value>) : undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const { entries } = await this.read();
    return keys.map((k) => {
      const e = entries[this.prefixed(k)];
      return e && !expired(e) ? (e.value as StoredData<Value>) : undefined;
    });
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    await this.change((entries) => {
      entries[this.prefixed(key)] = { value, expires: expiryOf(ttl) };
      return true;
    });
    return true;
  }

  /** Sets many keys in one write of the file (Keyv's `setMany` uses it instead of one write per key). */
  async setMany(entries: Array<{ key: string; value: unknown; ttl?: number }>): Promise<void> {
    await this.change((all) => {
      for (const { key, value, ttl } of entries) all[this.prefixed(key)] = { value, expires: expiryOf(ttl) };
      return undefined;
    });
  }

  /**
   * Sets `key` only when it holds nothing (or something expired), atomically across the processes
   * that share the file. True when this call set it.
   */
  async setIfAbsent(key: string, value: unknown, ttl?: number): Promise<boolean> {
    return this.change((entries) => {
      const k = this.prefixed(key);
      const current = entries[k];
      if (current && !expired(current)) return false;
      entries[k] = { value, expires: expiryOf(ttl) };
      return true;
    });
  }

  async delete(key: string): Promise<boolean> {
    return this.change((entries) => {
      const k = this.prefixed(key);
      const had = k in entries && !expired(entries[k]!);
      delete entries[k];
      return had;
    });
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return this.change((entries) => {
      let any = false;
      for (const key of keys) {
        const k = this.prefixed(key);
        if (k in entries) any = true;
        delete entries[k];
      }
      return any;
    });
  }

  /** Removes every key of this namespace (every key when there is none). */
  async clear(): Promise<void> {
    await this.change((entries) => {
      for (const k of Object.keys(entries)) if (!this.namespace || k.startsWith(`${this.namespace}::`)) delete entries[k];
      return undefined;
    });
  }

  async disconnect(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  // ---------------------------------------------------------------- file and lock

  /** Reads the file (or the cached copy while it is unchanged); an absent file is an empty store. */
  private async read(): Promise<FileContent> {
    let stamp: string;
    try {
      const s = await stat(this.file);
      stamp = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw e;
    }
    if (this.cache?.stamp === stamp) return this.cache.content;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      // Replaced between stat and read: read the new one.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.read();
      throw e;
    }
    const content = parse(text, this.file);
    this.cache = { stamp, content };
    return content;
  }

  /**
   * Applies `fn` to the current entries under the lock and writes the result (temporary file, then
   * rename). Expired entries are dropped. Calls of this process run one after the other.
   */
  private change<T>(fn: (entries: Record<string, Entry>) => T): Promise<T> {
    const run = async (): Promise<T> => {
      await this.lock();
      try {
        this.cache = undefined;
        const current = await this.read();
        const entries: Record<string, Entry> = {};
        for (const [k, e] of Object.entries(current.entries)) if (!expired(e)) entries[k] = e;
        const result = fn(entries);
        await this.write({ version: 1, entries });
        return result;
      } finally {
        await this.unlock();
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(content: FileContent): Promise<void> {
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(content));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, this.file);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  private async lock(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const deadline = Date.now() + this.lockTimeoutMs;
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      try {
        const handle = await open(this.lockFile, 'wx', 0o600);
        await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
        await handle.close();
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      await this.breakStaleLock();
      if (Date.now() > deadline) throw new Error(`the store file ${this.file} stayed locked for ${this.lockTimeoutMs} ms`);
      await sleep(wait);
    }
  }

  /** A lock held longer than any change takes was left by a process that died: remove it. */
  private async breakStaleLock(): Promise<void> {
    try {
      const s = await stat(this.lockFile);
      if (Date.now() - s.mtimeMs > this.staleLockMs) await unlink(this.lockFile);
    } catch {
      // gone already, or removed by another process at the same time
    }
  }

  private async unlock(): Promise<void> {
    await unlink(this.lockFile).catch(() => undefined);
  }
}

function expiryOf(ttl: number | undefined): number | null {
  return typeof ttl === 'number' && ttl > 0 ? Date.now() + ttl : null;
}

function expired(e: Entry): boolean {
  return e.expires !== null && e.expires <= Date.now();
}

function parse(text: string, file: string): FileContent {
  if (text.trim() === '') return { version: 1, entries: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`the store file ${file} is not valid JSON`);
  }
  const c = raw as Partial<FileContent>;
  if (c.version !== 1 || typeof c.entries !== 'object' || c.entries === null) throw new Error(`the store file ${file} is not a FieldGraph store`);
  return c as FileContent;
}
