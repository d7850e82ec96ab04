import { autocompletion } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { api, sendYaml, type Violation } from '../api.ts';
import { type PluginSchema, type SchemaIndex, yamlCompletion } from './yaml-completion.ts';

/** Loads the plugin list once and plugin schemas on demand, for completions. */
export function createSchemaIndex(): SchemaIndex & { load(): Promise<void>; prefetch(type: string): void } {
  const schemas = new Map<string, PluginSchema | null>();
  const index = {
    types: [] as SchemaIndex['types'],
    async load() {
      index.types = await api<SchemaIndex['types']>('/plugins');
    },
    plugin(type: string) {
      if (!schemas.has(type)) index.prefetch(type);
      return schemas.get(type) ?? undefined;
    },
    prefetch(type: string) {
      if (schemas.has(type)) return;
      schemas.set(type, null);
      api<PluginSchema>(`/plugins/${encodeURIComponent(type)}?compact=true`)
        .then((schema) => schemas.set(type, schema))
        .catch(() => {});
    },
  };
  return index;
}

/** Validates through the server and marks every violation on its line. */
function serverLinter(onViolations: (violations: Violation[]) => void) {
  return linter(
    async (view) => {
      const source = view.state.doc.toString();
      if (source.trim() === '') return [];
      const results = await sendYaml<{ violations?: Violation[] }[]>('/flows/validate', 'POST', source).catch(() => []);
      const violations = results.flatMap((r) => r.violations ?? []);
      onViolations(violations);
      return violations.map((v): Diagnostic => {
        const line = view.state.doc.line(Math.min(Math.max(v.line ?? 1, 1), view.state.doc.lines));
        const from = Math.min(line.from + Math.max((v.column ?? 1) - 1, 0), line.to);
        return {
          from,
          to: Math.max(line.to, from),
          severity: 'error',
          message: `${v.path ? `${v.path}: ` : ''}${v.message}`,
        };
      });
    },
    { delay: 400 },
  );
}

export function YamlEditor({
  value,
  onChange,
  schema,
  onViolations,
}: {
  value: string;
  onChange: (value: string) => void;
  schema: SchemaIndex & { prefetch(type: string): void };
  onViolations: (violations: Violation[]) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, onViolations });
  latest.current = { onChange, onViolations };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is created once; later values flow in below.
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          yaml(),
          oneDark,
          lintGutter(),
          serverLinter((v) => latest.current.onViolations(v)),
          autocompletion({ override: [yamlCompletion(schema)], activateOnTyping: true }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) {
              const text = update.state.doc.toString();
              for (const m of text.matchAll(/type:\s*([\w.]+)/g)) if (m[1]) schema.prefetch(m[1]);
              latest.current.onChange(text);
            }
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'Flow YAML' }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div className="yaml-editor" ref={host} data-testid="yaml-editor" />;
}
