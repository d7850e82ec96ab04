import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { FlowSpec } from './flow-types.ts';
import { validateFlowDocument } from './flow-validator.ts';
import { type FlowViolation, formatPath } from './flow-violation.ts';
import { parseYamlDocuments } from './yaml-documents.ts';

/** A validated flow and the YAML it came from. */
export interface ParsedFlow {
  /** Normalised: pluginDefaults applied, types canonical, `when`/`maxAttempt`/`taskDefaults` folded. */
  spec: FlowSpec;
  /** This YAML document's own text (one document of a multi-document source). */
  source: string;
}

/**
 * Parses and validates every flow of a YAML source (documents separated by `---`). Either all
 * flows are valid, or every violation of every document is returned, each with its position.
 */
export function loadFlows(
  source: string,
  registry: PluginRegistry,
  options: { file?: string } = {},
): { ok: true; flows: ParsedFlow[] } | { ok: false; violations: FlowViolation[] } {
  const file = options.file !== undefined ? { file: options.file } : {};
  const parsed = parseYamlDocuments(source);
  if (!parsed.ok) return { ok: false, violations: parsed.violations.map((v) => ({ ...v, ...file })) };
  if (parsed.documents.length === 0) {
    return { ok: false, violations: [{ path: '', message: 'the source holds no flow', line: 1, column: 1, ...file }] };
  }
  const flows: ParsedFlow[] = [];
  const violations: FlowViolation[] = [];
  for (const document of parsed.documents) {
    const result = validateFlowDocument(document.value, registry);
    for (const violation of result.violations) {
      const related = violation.relatedPath ? document.locate(violation.relatedPath) : undefined;
      const message = related ? `${violation.message} (line ${related.line})` : violation.message;
      violations.push({
        path: formatPath(violation.path),
        message,
        ...document.locate(violation.path, violation.atKey),
        ...file,
      });
    }
    if (result.spec) flows.push({ spec: result.spec, source: document.source });
  }
  return violations.length > 0 ? { ok: false, violations: sortByPosition(violations) } : { ok: true, flows };
}

function sortByPosition(violations: FlowViolation[]): FlowViolation[] {
  return violations
    .map((violation, index) => ({ violation, index }))
    .sort(
      (a, b) =>
        (a.violation.line ?? 0) - (b.violation.line ?? 0) ||
        (a.violation.column ?? 0) - (b.violation.column ?? 0) ||
        a.index - b.index,
    )
    .map(({ violation }) => violation);
}
