import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveFusionSettings } from '../../ai/retrieval/hybrid-defaults.ts';
import { retrievalOptionsOf, retrievalSchema } from './retrieval-schema.ts';

describe('retrieval property', () => {
  test('without the property, retrieval is VECTOR: the reference behaviour', () => {
    assert.equal(retrievalOptionsOf(undefined).mode, 'VECTOR');
    assert.equal(retrievalOptionsOf(retrievalSchema.parse({})).mode, 'VECTOR');
  });

  test('mode HYBRID alone leaves the fusion settings unset, so retrieval uses the evaluated preset', () => {
    const options = retrievalOptionsOf(retrievalSchema.parse({ mode: 'HYBRID' }));
    assert.equal(options.mode, 'HYBRID');
    assert.deepEqual(resolveFusionSettings(options, 5), { rrfK: 1, candidates: 50, weights: { vector: 0.3, text: 1 } });
  });

  test('a flow that sets weights keeps them, with textbook RRF for the rest', () => {
    const options = retrievalOptionsOf(retrievalSchema.parse({ mode: 'HYBRID', weights: { vector: 0.5 } }));
    assert.deepEqual(resolveFusionSettings(options, 5), {
      rrfK: 60,
      candidates: 20,
      weights: { vector: 0.5, text: 1 },
    });
  });

  test('out-of-range settings are rejected with the property path', () => {
    const result = retrievalSchema.safeParse({ mode: 'HYBRID', weights: { vector: -1 } });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['weights', 'vector']);
    assert.equal(retrievalSchema.safeParse({ mode: 'BOTH' }).success, false);
  });

  test('the JSON Schema documents the preset and how to opt out', () => {
    const text = JSON.stringify(retrievalSchema.toJSONSchema());
    assert.match(text, /preset/);
    assert.match(text, /k = 60/);
  });
});
