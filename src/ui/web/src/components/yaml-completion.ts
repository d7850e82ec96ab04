import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';

/** What the completion source needs from the server's schemas. */
export interface SchemaIndex {
  /** Every plugin type with its category, for `type:` values. */
  types: { type: string; category: string; title: string }[];
  /** Property schema of a type (JSON Schema object with `properties`, `outputs`). */
  plugin(type: string): PluginSchema | undefined;
}

export interface PluginSchema {
  properties?: Record<string, { enum?: unknown[]; const?: unknown; description?: string; anyOf?: unknown[] }>;
  outputs?: { properties?: Record<string, unknown> };
}

const FLOW_KEYS = [
  'id',
  'namespace',
  'description',
  'labels',
  'inputs',
  'variables',
  'tasks',
  'errors',
  'finally',
  'triggers',
  'outputs',
  'pluginDefaults',
  'concurrency',
  'retry',
  'disabled',
];
const TASK_KEYS = ['id', 'type', 'description', 'retry', 'timeout', 'disabled', 'allowFailure', 'runIf', 'logLevel'];
const INPUT_TYPES = [
  'STRING',
  'INT',
  'FLOAT',
  'BOOLEAN',
  'SELECT',
  'MULTISELECT',
  'DATETIME',
  'DATE',
  'TIME',
  'DURATION',
  'JSON',
  'YAML',
  'URI',
  'ARRAY',
  'SECRET',
  'FILE',
  'EMAIL',
];

/**
 * Completes from the flow JSON Schema: `type:` values, property names of the enclosing plugin,
 * enum values, and `{{ outputs.<taskId>.<output> }}` inside templates.
 */
export function yamlCompletion(index: SchemaIndex) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const doc = context.state.doc.toString();

    const template = /\{\{[^}]*?outputs\.([\w-]*)(?:\.([\w-]*))?$/.exec(before);
    if (template) {
      if (template[2] === undefined) {
        const ids = [...doc.matchAll(/^\s*-\s*id:\s*([\w-]+)\s*$/gm)].map((m) => m[1] ?? '');
        // Inputs and outputs also have ids; only tasks have a qualified plugin type.
        const taskIds = ids.filter((id) => taskTypeOf(doc, id)?.includes('.'));
        return {
          from: context.pos - (template[1]?.length ?? 0),
          options: taskIds.map((id) => ({ label: id, type: 'variable' })),
        };
      }
      const type = taskTypeOf(doc, template[1] ?? '');
      const outputs = Object.keys((type && index.plugin(type)?.outputs?.properties) ?? {});
      return {
        from: context.pos - template[2].length,
        options: outputs.map((name) => ({ label: name, type: 'property' })),
      };
    }

    const typeValue = /^(\s*(?:-\s+)?)type:\s*([\w.]*)$/.exec(before);
    if (typeValue) {
      const typed = typeValue[2] ?? '';
      const indent = typeValue[1]?.length ?? 0;
      const inInputs = sectionOf(context.state.doc.toString(), line.number, indent) === 'inputs';
      const options = inInputs
        ? INPUT_TYPES.map((label) => ({ label, type: 'enum' }))
        : index.types.map((t) => ({ label: t.type, detail: t.category, info: t.title, type: 'class' }));
      return { from: context.pos - typed.length, options, validFor: /^[\w.]*$/ };
    }

    const enumValue = /^\s*(?:-\s+)?([\w-]+):\s*([\w-]*)$/.exec(before);
    if (enumValue && enumValue[1] !== 'type') {
      const type = enclosingType(context.state.doc.toString(), line.number, indentOf(before));
      const property = type ? index.plugin(type)?.properties?.[enumValue[1] ?? ''] : undefined;
      const values = enumOf(property);
      if (values.length > 0) {
        return {
          from: context.pos - (enumValue[2]?.length ?? 0),
          options: values.map((v) => ({ label: String(v), type: 'enum' })),
        };
      }
      return null;
    }

    const key = /^(\s*)(-\s+)?([\w-]*)$/.exec(before);
    if (key && (context.explicit || (key[3]?.length ?? 0) > 0)) {
      const indent = (key[1]?.length ?? 0) + (key[2]?.length ?? 0);
      const typed = key[3] ?? '';
      if (indent === 0) return { from: context.pos - typed.length, options: FLOW_KEYS.map((k) => keyOption(k)) };
      const type = enclosingType(context.state.doc.toString(), line.number, indent);
      const names = type ? Object.keys(index.plugin(type)?.properties ?? {}) : [];
      const all = [...new Set([...names, ...TASK_KEYS])];
      return {
        from: context.pos - typed.length,
        options: all.map((k) => keyOption(k, type ? index.plugin(type)?.properties?.[k]?.description : undefined)),
      };
    }
    return null;
  };
}

/** Enum values of a property, also when it is a `dynamic()` union of the enum and a template. */
function enumOf(property: { enum?: unknown[]; anyOf?: unknown[] } | undefined): unknown[] {
  if (!property) return [];
  if (property.enum) return property.enum;
  for (const option of property.anyOf ?? []) {
    const values = (option as { enum?: unknown[] }).enum;
    if (values) return values;
  }
  return [];
}

function keyOption(label: string, info?: string) {
  return { label, type: 'property', apply: `${label}: `, ...(info ? { info } : {}) };
}

function indentOf(text: string): number {
  const m = /^(\s*)(-\s+)?/.exec(text);
  return (m?.[1]?.length ?? 0) + (m?.[2]?.length ?? 0);
}

/** The `type:` of the mapping the line at `lineNumber` (1-based) with this key indent belongs to. */
export function enclosingType(doc: string, lineNumber: number, indent: number): string | undefined {
  const lines = doc.split('\n');
  const current = lines[lineNumber - 1] ?? '';
  const own = /^\s*(?:-\s+)?type:\s*([\w.]+)/.exec(current);
  if (own) return own[1];
  // On the first line of a list item, everything above belongs to the previous item.
  const directions = /^\s*-\s+/.test(current) ? [1] : [-1, 1];
  for (const direction of directions) {
    for (let i = lineNumber - 1 + direction; i >= 0 && i < lines.length; i += direction) {
      const text = lines[i] ?? '';
      if (text.trim() === '') continue;
      const lineIndent = indentOf(text);
      const isItemStart = /^\s*-\s+/.test(text);
      if (lineIndent < indent && !(isItemStart && lineIndent === indent)) break;
      if (lineIndent === indent) {
        const m = /^\s*(?:-\s+)?type:\s*([\w.]+)/.exec(text);
        if (m) return m[1];
        if (direction === -1 && isItemStart) {
          // The first line of this list item: stop looking upward, search downward.
          break;
        }
        if (direction === 1 && isItemStart) break;
      }
    }
  }
  return undefined;
}

function sectionOf(doc: string, lineNumber: number, indent: number): string | undefined {
  const lines = doc.split('\n');
  for (let i = lineNumber - 2; i >= 0; i--) {
    const text = lines[i] ?? '';
    const m = /^(\s*)([\w-]+):\s*$/.exec(text);
    if (m && (m[1]?.length ?? 0) < indent) return m[2];
  }
  return undefined;
}

/** The type of the task with this id in the document. */
function taskTypeOf(doc: string, id: string): string | undefined {
  const lines = doc.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^\\s*-\\s*id:\\s*${id.replace(/[-]/g, '\\-')}\\s*$`).test(l));
  if (at < 0) return undefined;
  return enclosingType(doc, at + 1, indentOf(lines[at] ?? ''));
}
