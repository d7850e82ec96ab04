import type { InputSpec } from './flow-types.ts';
import { CoercionError, coerceInput, isUnrenderedTemplate } from './input-coercion.ts';

/** Every invalid input of an execution request; no execution is created. */
export class InputValidationError extends Error {
  readonly violations: { input: string; message: string }[];

  constructor(violations: { input: string; message: string }[]) {
    super(`invalid inputs:\n${violations.map((v) => `  ${v.input}: ${v.message}`).join('\n')}`);
    this.name = 'InputValidationError';
    this.violations = violations;
  }
}

/** An uploaded file for a FILE input. */
export interface InputFile {
  filename: string;
  data: Uint8Array;
}

/**
 * Resolves the inputs of a new execution (B.4): applies defaults, coerces strings from the CLI
 * and forms to each type, checks every constraint, stores uploaded files and nests dotted ids
 * (`a.b` → `{ a: { b } }`). Throws InputValidationError listing every invalid input.
 * SECRET values come back in clear: callers find them with `secretInputIds(specs)`.
 */
export async function resolveInputs(
  specs: InputSpec[] | undefined,
  raw: Record<string, unknown>,
  options: {
    storeFile(inputId: string, file: InputFile): Promise<string>;
    files?: Record<string, InputFile>;
  },
): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const violations: { input: string; message: string }[] = [];
  for (const spec of specs ?? []) {
    try {
      const value = await resolveOne(spec, raw, options);
      if (value !== undefined) setNested(result, spec.id, value);
    } catch (cause) {
      if (!(cause instanceof CoercionError)) throw cause;
      violations.push({ input: spec.id, message: cause.message });
    }
  }
  if (violations.length > 0) throw new InputValidationError(violations);
  return result;
}

/** Ids of SECRET inputs (dotted ids as written): their values must be encrypted and masked. */
export function secretInputIds(specs: InputSpec[] | undefined): Set<string> {
  return new Set((specs ?? []).filter((spec) => spec.type === 'SECRET').map((spec) => spec.id));
}

async function resolveOne(
  spec: InputSpec,
  raw: Record<string, unknown>,
  options: { storeFile(inputId: string, file: InputFile): Promise<string>; files?: Record<string, InputFile> },
): Promise<unknown> {
  const file = options.files?.[spec.id];
  if (spec.type === 'FILE' && file) {
    checkExtension(spec, file.filename);
    return options.storeFile(spec.id, file);
  }
  let value = lookup(raw, spec.id);
  if (isMissing(value)) value = spec.defaults ?? spec.prefill;
  if (isMissing(value)) {
    if (spec.required === false) return undefined;
    throw new CoercionError(`is required${describeType(spec)}`);
  }
  // Template defaults (`{{ now() }}`) are rendered by the engine with the execution's context.
  if (isUnrenderedTemplate(value) && value !== lookup(raw, spec.id)) return value;
  const coerced = coerceInput(spec, value);
  if (spec.type === 'FILE' && typeof coerced === 'string') checkExtension(spec, coerced);
  return coerced;
}

function checkExtension(spec: InputSpec, filename: string): void {
  const allowed = spec.allowedFileExtensions;
  if (!allowed || allowed.length === 0) return;
  const lower = filename.toLowerCase();
  const ok = allowed.some((extension) =>
    lower.endsWith(extension.startsWith('.') ? extension.toLowerCase() : `.${extension.toLowerCase()}`),
  );
  if (!ok)
    throw new CoercionError(`file '${filename}' has an extension that is not allowed; allowed: ${allowed.join(', ')}`);
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function describeType(spec: InputSpec): string {
  return ` (${spec.type}${spec.type === 'ARRAY' && spec.itemType ? ` of ${spec.itemType}` : ''})`;
}

/** `a.b` is found either as a flat key or nested (`{ a: { b } }`). */
function lookup(raw: Record<string, unknown>, id: string): unknown {
  if (id in raw) return raw[id];
  let current: unknown = raw;
  for (const part of id.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function setNested(target: Record<string, unknown>, id: string, value: unknown): void {
  const parts = id.split('.');
  let current = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1] ?? id] = value;
}
