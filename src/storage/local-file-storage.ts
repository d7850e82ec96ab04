import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { FileStorage } from '../plugin/run-context.ts';
import { checkedSegment, namespaceSegments, pathOfUri, safeFileName, uriOfSegments } from './storage-uri.ts';

/** Options of a file storage. */
export interface LocalFileStorageOptions {
  /** Largest file `put` accepts, in bytes; default 2 GiB. */
  maxBytes?: number;
}

/** A file larger than the storage's size cap. */
export class StorageSizeLimitError extends Error {
  override name = 'StorageSizeLimitError';
}

const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/**
 * Internal storage on the local disk: files under `<dataDir>/storage`, addressed by
 * `kestra:///…` URIs. `put` writes below a fixed folder (one execution's, or a namespace's);
 * reads accept any URI of this instance, so a task can read files other executions produced.
 */
export class LocalFileStorage implements FileStorage {
  readonly root: string;
  readonly #folder: string[];
  readonly #maxBytes: number;

  /** Storage of one execution: `<namespace as folders>/<flowId>/executions/<executionId>/`. */
  constructor(
    dataDir: string,
    execution: { namespace: string; flowId: string; id: string },
    options?: LocalFileStorageOptions,
  );
  constructor(dataDir: string, folder: string[], options?: LocalFileStorageOptions);
  constructor(
    dataDir: string,
    target: { namespace: string; flowId: string; id: string } | string[],
    options: LocalFileStorageOptions = {},
  ) {
    this.root = resolve(dataDir, 'storage');
    this.#folder = Array.isArray(target)
      ? target
      : [
          ...namespaceSegments(target.namespace),
          checkedSegment(target.flowId, 'flow id'),
          'executions',
          checkedSegment(target.id, 'execution id'),
        ];
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /**
   * Storage for files that belong to a namespace rather than an execution (uploaded FILE
   * inputs before an execution exists): `<namespace as folders>/_files/`.
   */
  static forNamespace(dataDir: string, namespace: string, options?: LocalFileStorageOptions): LocalFileStorage {
    return new LocalFileStorage(dataDir, [...namespaceSegments(namespace), '_files'], options);
  }

  /** Stores bytes (or a stream of chunks) under a unique name; returns its URI. */
  async put(name: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<string> {
    const uri = uriOfSegments([...this.#folder, `${randomUUID()}-${safeFileName(name)}`]);
    const path = this.localPath(uri);
    await mkdir(dirname(path), { recursive: true });
    // Write to a temporary name and rename, so readers never see half a file.
    const partial = join(dirname(path), `.partial-${randomUUID()}`);
    try {
      await this.#write(partial, name, data);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return uri;
  }

  async #write(path: string, name: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const out = createWriteStream(path);
    const closed = new Promise<void>((resolvePromise, reject) => {
      out.on('close', resolvePromise);
      out.on('error', reject);
    });
    let written = 0;
    try {
      const chunks: AsyncIterable<Uint8Array> | Uint8Array[] = data instanceof Uint8Array ? [data] : data;
      for await (const chunk of chunks) {
        if (!(chunk instanceof Uint8Array)) {
          throw new TypeError(`storage put '${name}': chunks must be bytes (Uint8Array), got ${typeof chunk}`);
        }
        written += chunk.byteLength;
        if (written > this.#maxBytes) {
          throw new StorageSizeLimitError(
            `storage put '${name}': file is larger than the ${this.#maxBytes}-byte limit; raise maxBytes or store less`,
          );
        }
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', r));
      }
    } catch (error) {
      out.destroy();
      await closed.catch(() => undefined);
      throw error;
    }
    out.end();
    await closed;
  }

  async get(uri: string): Promise<Uint8Array> {
    const path = this.localPath(uri);
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`storage file not found: ${uri}`);
      throw error;
    }
  }

  async exists(uri: string): Promise<boolean> {
    const info = await stat(this.localPath(uri)).catch(() => undefined);
    return info?.isFile() ?? false;
  }

  async size(uri: string): Promise<number> {
    const info = await stat(this.localPath(uri)).catch(() => undefined);
    if (!info?.isFile()) throw new Error(`storage file not found: ${uri}`);
    return info.size;
  }

  /** The file a URI of this instance names; refuses URIs that would leave the storage root. */
  localPath(uri: string): string {
    return pathOfUri(this.root, uri);
  }
}
