import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import type { Execution } from '../model/execution.ts';
import { HttpError } from './http-error.ts';

const SCHEME = 'kestra://';

/**
 * Resolves a `kestra:///...` URI of an execution to a file under `<dataDir>/storage`.
 * Only files the execution owns can be read: under its own folder
 * (`/<namespace as folders>/<flowId>/executions/<id>/`) or referenced by its inputs or outputs.
 * Anything that escapes the storage root (`..`, encoded or not) is refused.
 */
export async function resolveExecutionFile(
  dataDir: string,
  execution: Execution,
  uri: string,
): Promise<{ path: string; name: string; size: number }> {
  if (!uri.startsWith(SCHEME)) throw new HttpError(400, `path must be a ${SCHEME}/ URI, got '${uri.slice(0, 100)}'`);
  let relative: string;
  try {
    relative = decodeURIComponent(uri.slice(SCHEME.length));
  } catch {
    throw new HttpError(400, 'path is not a valid URI');
  }
  if (relative.includes('\0') || relative.split(/[\\/]/).includes('..')) {
    throw new HttpError(400, 'path must not contain .. segments');
  }
  const root = resolve(dataDir, 'storage');
  const path = resolve(join(root, relative));
  if (!path.startsWith(root + sep)) throw new HttpError(400, 'path leaves the storage root');
  const owned = `/${execution.namespace.replaceAll('.', '/')}/${execution.flowId}/executions/${execution.id}/`;
  if (!relative.startsWith(owned) && !JSON.stringify(execution).includes(JSON.stringify(uri).slice(1, -1))) {
    throw new HttpError(404, `file ${uri} not found in execution ${execution.id}`);
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new HttpError(404, `file ${uri} not found in execution ${execution.id}`);
  return { path, name: basename(path), size: info.size };
}

/** A web stream of a file, for download responses. */
export function fileStream(path: string): ReadableStream<Uint8Array> {
  const stream = createReadStream(path);
  return new ReadableStream({
    start(controller) {
      stream.on('data', (chunk) => controller.enqueue(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
      stream.on('end', () => controller.close());
      stream.on('error', (error) => controller.error(error));
    },
    cancel() {
      stream.destroy();
    },
  });
}
