import { z } from 'zod';
import { defineTask } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import {
  HTTP_METHODS,
  headerMap,
  headersSchema,
  httpOptions,
  isFailedStatus,
  readCappedText,
  sendRequest,
  warnIgnoredSslOptions,
} from './http-client.ts';

/** Response bodies are kept in memory and in outputs, so they are capped (10 MB by default). */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export const httpRequestTask = defineTask({
  type: 'io.kestra.plugin.core.http.Request',
  aliases: ['io.kestra.plugin.fs.http.Request', 'io.kestra.core.tasks.http.Request'],
  category: 'task',
  title: 'HTTP request',
  description:
    'Sends an HTTP request and outputs the status `code`, the response `headers` and the `body` as text. A 4xx or 5xx status fails the task unless `allowFailed` is true.',
  properties: z.object({
    uri: z.string().meta({ description: 'The absolute URL' }),
    method: dynamic(z.enum(HTTP_METHODS)).default('GET'),
    body: z.unknown().optional().meta({ description: 'The request body: text, or a map/list sent as JSON' }),
    formData: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'Form fields (url-encoded, or multipart with contentType multipart/form-data)' }),
    contentType: z.string().default('application/json'),
    headers: headersSchema.optional(),
    options: httpOptions.optional(),
    sslOptions: z
      .looseObject({})
      .optional()
      .meta({ description: 'Accepted for compatibility; system trust store is used' }),
    allowFailed: dynamic(z.boolean()).default(false),
    encryptBody: dynamic(z.boolean())
      .default(false)
      .meta({ description: 'Accepted for compatibility; bodies are not encrypted' }),
  }),
  outputs: z.object({
    uri: z.string(),
    code: z.number(),
    headers: z.record(z.string(), z.array(z.string())),
    body: z.string().optional(),
    length: z.number().optional(),
  }),
  examples: [
    {
      title: 'POST JSON and use the response',
      code: [
        'id: call_api',
        'namespace: company.team',
        'tasks:',
        '  - id: request',
        '    type: io.kestra.plugin.core.http.Request',
        '    uri: https://example.com/api/items',
        '    method: POST',
        '    body: \'{"name": "{{ execution.id }}"}\'',
        '    headers:',
        '      Authorization: "Bearer {{ secret(\'API_TOKEN\') }}"',
        '  - id: show',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: "{{ outputs.request.code }}: {{ outputs.request.body }}"',
      ].join('\n'),
    },
  ],
  async run(ctx, props) {
    const method = String(props.method).toUpperCase();
    warnIgnoredSslOptions(ctx, props.sslOptions);
    const response = await sendRequest(ctx, { ...props, method });
    const limit = Number(props.options?.maxContentLength ?? DEFAULT_MAX_RESPONSE_BYTES);
    const body = await readCappedText(response, limit, `response body of ${method} ${props.uri}`);
    ctx.logger.debug(`${method} ${props.uri} -> ${response.status}`);
    if (isFailedStatus(response.status, props.allowFailed, props.options)) {
      const snippet = body.length > 500 ? `${body.slice(0, 500)}...` : body;
      throw new Error(
        `${method} ${props.uri} returned HTTP ${response.status} ${response.statusText}${snippet ? `: ${snippet}` : ''} (set allowFailed: true to keep going)`,
      );
    }
    const output: Record<string, unknown> = {
      uri: props.uri,
      code: response.status,
      headers: headerMap(response.headers),
      length: Buffer.byteLength(body),
    };
    if (method !== 'HEAD' && body !== '') output.body = body;
    return output;
  },
});
