import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';

function fileList(files: string[] | string): string[] {
  if (Array.isArray(files)) return files;
  try {
    const parsed: unknown = JSON.parse(files);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  } catch {
    // Not JSON: a single URI.
  }
  return [files];
}

export const storageConcatTask = defineTask({
  type: 'io.kestra.plugin.core.storage.Concat',
  aliases: ['io.kestra.core.tasks.storages.Concat'],
  category: 'task',
  title: 'Concatenate files',
  description:
    'Concatenates files of the execution storage, in order, with an optional `separator`, into a new file (`uri`).',
  properties: z.object({
    files: z
      .union([z.array(z.string()), z.string()])
      .meta({ description: 'Storage URIs: a list, or a JSON list as text (e.g. from a ForEach output)' }),
    separator: z.string().optional().meta({ description: 'Text written between files, e.g. "\\n"' }),
    extension: z.string().default('.tmp').meta({ description: 'Extension of the result file' }),
  }),
  outputs: z.object({ uri: z.string() }),
  examples: [
    {
      title: 'Concatenate two files',
      code: [
        'id: concat',
        'namespace: company.team',
        'tasks:',
        '  - id: concat',
        '    type: io.kestra.plugin.core.storage.Concat',
        '    files:',
        '      - "{{ outputs.first.uri }}"',
        '      - "{{ outputs.second.uri }}"',
        '    separator: "\\n"',
        '    extension: .txt',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const files = fileList(props.files);
    for (const uri of files) {
      if (!(await ctx.storage.exists(uri)))
        throw new Error(`property files: no file at '${uri}' in the execution storage`);
    }
    const separator = props.separator === undefined ? undefined : Buffer.from(props.separator, 'utf8');
    // Streams file by file, so memory holds one file at a time.
    async function* chunks(): AsyncIterable<Uint8Array> {
      for (const [index, uri] of files.entries()) {
        if (index > 0 && separator) yield separator;
        yield await ctx.storage.get(uri);
      }
    }
    const extension = props.extension.startsWith('.') ? props.extension : `.${props.extension}`;
    const uri = await ctx.storage.put(`concat${extension}`, chunks());
    ctx.logger.debug(`concatenated ${files.length} file(s) into ${uri}`);
    return { uri };
  },
});
