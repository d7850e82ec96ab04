import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileStorage } from '../../plugin/run-context.ts';

/**
 * Files of one execution under `<dataDir>/storage/<namespace as folders>/<flowId>/executions/<id>/`,
 * the layout the file-download endpoint serves. For server tests until the shared storage is wired.
 */
export function executionFileStorage(
  dataDir: string,
  execution: { namespace: string; flowId: string; id: string },
): FileStorage {
  const root = resolve(dataDir, 'storage');
  const prefix = `/${execution.namespace.replaceAll('.', '/')}/${execution.flowId}/executions/${execution.id}`;
  const pathOf = (uri: string) => {
    if (!uri.startsWith('kestra:///')) throw new Error(`not a storage URI: ${uri}`);
    const path = resolve(join(root, uri.slice('kestra://'.length)));
    if (!path.startsWith(root + sep)) throw new Error(`storage URI leaves the storage root: ${uri}`);
    return path;
  };
  let counter = 0;
  return {
    async put(name, data) {
      const uri = `kestra://${prefix}/${++counter}-${name.replace(/[\\/]/g, '_')}`;
      const path = pathOf(uri);
      await mkdir(dirname(path), { recursive: true });
      if (data instanceof Uint8Array) await writeFile(path, data);
      else await pipeline(data, createWriteStream(path));
      return uri;
    },
    get: async (uri) => new Uint8Array(await readFile(pathOf(uri))),
    exists: async (uri) =>
      stat(pathOf(uri)).then(
        () => true,
        () => false,
      ),
    size: async (uri) => (await stat(pathOf(uri))).size,
    localPath: pathOf,
  };
}
