import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkGuardrails } from './check-guardrails.ts';

// A tiny evaluator: the expression names a variable whose value is the result.
const byName = async (expression: string, variables: Record<string, unknown>) => {
  if (!(expression in variables)) throw new Error(`undefined variable '${expression}'`);
  return variables[expression];
};

describe('checkGuardrails', () => {
  test('passes on true or "true"; the first failing rule gives its message', async () => {
    const variables = { yes: true, text: ' TRUE ', no: false, other: 'false' };
    assert.deepEqual(await checkGuardrails(undefined, variables, byName), { violated: false });
    assert.deepEqual(
      await checkGuardrails(
        [
          { expression: 'yes', message: 'a' },
          { expression: 'text', message: 'b' },
        ],
        variables,
        byName,
      ),
      { violated: false },
    );
    assert.deepEqual(
      await checkGuardrails(
        [
          { expression: 'yes', message: 'a' },
          { expression: 'no', message: 'second failed' },
          { expression: 'missing', message: 'never reached' },
        ],
        variables,
        byName,
      ),
      { violated: true, message: 'second failed' },
    );
  });

  test('an expression that cannot be evaluated fails its rule with the reason', async () => {
    assert.deepEqual(await checkGuardrails([{ expression: 'missing', message: 'm' }], {}, byName), {
      violated: true,
      message: "Guardrail expression evaluation failed: undefined variable 'missing'",
    });
  });
});
