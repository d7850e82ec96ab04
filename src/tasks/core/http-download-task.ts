import { basename } from 'node:path';
import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import {
  cappedBody,
  HTTP_METHODS,
  headerMap,
  headersSchema,
  httpOptions,
  isFailedStatus,
  sendRequest,
  warnIgnoredSslOptions,
} from './http-client.ts';

/** Downloads stream to storage, so the cap is higher than for Request, but still bounded (1 GiB). */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024;

/** The file name: from Content-Disposition, else the last URL path segment, else "download". */
function fileNameOf(uri: string, disposition: string | null): string {
  const fromHeader = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  let name = fromHeader ? decodeURIComponent(fromHeader) : basename(new URL(uri).pathname);
  name = name.replace(/[^a-zA-Z0-9._-]/g, '_').replace(/^\.+/, '');
  return name || 'download';
}

export const httpDownloadTask = defineTask({
  type: 'io.kestra.plugin.core.http.Download',
  aliases: ['io.kestra.plugin.fs.http.Download', 'io.kestra.core.tasks.http.Download'],
  category: 'task',
  title: 'HTTP download',
  description:
    'Downloads a URL into the execution storage and outputs its storage `uri`, status `code`, `length` and `headers`. An empty response fails unless `failOnEmptyResponse` is false.',
  properties: z.object({
    uri: z.string().meta({ description: 'The absolute URL to download' }),
    method: dynamic(z.enum(HTTP_METHODS)).default('GET'),
    body: z.unknown().optional(),
    formData: z.record(z.string(), z.unknown()).optional(),
    contentType: z.string().optional(),
    headers: headersSchema.optional(),
    options: httpOptions.optional(),
    sslOptions: z.looseObject({}).optional(),
    allowFailed: dynamic(z.boolean()).default(false),
    failOnEmptyResponse: dynamic(z.boolean()).default(true),
    saveAs: z.string().optional().meta({ description: 'File name to store under (default: from the response or URL)' }),
  }),
  outputs: z.object({
    uri: z.string().meta({ description: 'Storage URI of the downloaded file' }),
    code: z.number(),
    length: z.number(),
    headers: z.record(z.string(), z.array(z.string())),
  }),
  examples: [
    {
      title: 'Download a file and ingest it',
      code: [
        'id: download',
        'namespace: company.team',
        'tasks:',
        '  - id: get_file',
        '    type: io.kestra.plugin.core.http.Download',
        '    uri: https://example.com/handbook.pdf',
        '  - id: show',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: "{{ outputs.get_file.uri }} ({{ outputs.get_file.length }} bytes)"',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const method = String(props.method).toUpperCase();
    warnIgnoredSslOptions(ctx, props.sslOptions);
    const response = await sendRequest(ctx, { ...props, method });
    if (isFailedStatus(response.status, props.allowFailed, props.options)) {
      await response.body?.cancel().catch(() => {});
      throw new Error(
        `${method} ${props.uri} returned HTTP ${response.status} ${response.statusText} (set allowFailed: true to keep going)`,
      );
    }
    const limit = Number(props.options?.maxContentLength ?? DEFAULT_MAX_DOWNLOAD_BYTES);
    let length = 0;
    const counted = async function* () {
      for await (const chunk of cappedBody(response, limit, `download of ${props.uri}`)) {
        length += chunk.byteLength;
        yield chunk;
      }
    };
    const name = props.saveAs ?? fileNameOf(props.uri, response.headers.get('content-disposition'));
    const uri = await ctx.storage.put(name, counted());
    const failOnEmpty = props.failOnEmptyResponse !== false && props.failOnEmptyResponse !== 'false';
    if (length === 0 && failOnEmpty) {
      throw new Error(`${method} ${props.uri} returned an empty body (set failOnEmptyResponse: false to accept it)`);
    }
    ctx.logger.debug(`downloaded ${length} bytes from ${props.uri} to ${uri}`);
    ctx.metric({ name: 'length', value: length });
    return { uri, code: response.status, length, headers: headerMap(response.headers) };
  },
});
