import type { Context } from 'hono';
import type { FileInput } from '../engine/engine-api.ts';
import { HttpError } from './http-error.ts';

/** Inputs from a multipart form (files become FileInputs) or a JSON object; an empty body is no inputs. */
export async function readInputs(
  c: Context,
): Promise<{ inputs: Record<string, unknown>; files: Record<string, FileInput> }> {
  const type = c.req.header('content-type') ?? '';
  const inputs: Record<string, unknown> = {};
  const files: Record<string, FileInput> = {};
  if (type.startsWith('application/json')) {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HttpError(400, 'the body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'the JSON body must be an object of input values');
    }
    return { inputs: body as Record<string, unknown>, files };
  }
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    const form = await c.req.parseBody({ all: true });
    for (const [key, value] of Object.entries(form)) {
      const values = Array.isArray(value) ? value : [value];
      const file = values.find((v): v is File => typeof v !== 'string');
      if (file) files[key] = { filename: file.name, data: new Uint8Array(await file.arrayBuffer()) };
      else inputs[key] = values.length === 1 ? values[0] : values;
    }
  }
  return { inputs, files };
}
