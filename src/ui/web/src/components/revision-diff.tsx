import { yaml } from '@codemirror/lang-yaml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

/** Side-by-side diff of two revisions' YAML (read-only). */
export function RevisionDiff({ left, right }: { left: string; right: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const extensions = [basicSetup, yaml(), oneDark, EditorState.readOnly.of(true), EditorView.editable.of(false)];
    const view = new MergeView({ a: { doc: left, extensions }, b: { doc: right, extensions }, parent: host.current });
    return () => view.destroy();
  }, [left, right]);
  return <div className="revision-diff" ref={host} data-testid="revision-diff" />;
}
