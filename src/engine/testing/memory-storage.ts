import type { FileStorage } from '../../plugin/run-context.ts';

/** Files kept in memory, for engine tests that do not exercise storage itself. */
export function memoryStorage(executionId: string): FileStorage {
  const files = new Map<string, Uint8Array>();
  const find = (uri: string) => {
    const data = files.get(uri);
    if (!data) throw new Error(`no file ${uri}`);
    return data;
  };
  return {
    async put(name, data) {
      const chunks: Uint8Array[] = [];
      if (data instanceof Uint8Array) chunks.push(data);
      else for await (const chunk of data) chunks.push(chunk);
      const uri = `kestra:///test/executions/${executionId}/${name}`;
      files.set(uri, Buffer.concat(chunks));
      return uri;
    },
    get: async (uri) => find(uri),
    exists: async (uri) => files.has(uri),
    size: async (uri) => find(uri).length,
    localPath: (uri) => uri,
  };
}
