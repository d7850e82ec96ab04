import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { providerPlugins } from '../../ai/providers/index.ts';
import { storePlugins } from '../../ai/stores/index.ts';
import { loadFlows } from '../../flow/load-flows.ts';
import { type AnyPluginDefinition, defineSubPlugin } from '../../plugin/define-plugin.ts';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { coreTaskPlugins } from '../core/index.ts';
import { flowTaskPlugins } from '../flow/index.ts';
import { aiTaskPlugins } from './index.ts';

const examplesDir = join(import.meta.dirname, '../../../examples');

function exampleRegistry(): PluginRegistry {
  const registry = new PluginRegistry().register(
    ...flowTaskPlugins,
    ...(coreTaskPlugins as AnyPluginDefinition[]),
    ...aiTaskPlugins,
    ...(providerPlugins as AnyPluginDefinition[]),
    ...(storePlugins as AnyPluginDefinition[]),
  );
  if (!registry.get('io.kestra.plugin.core.trigger.Schedule')) {
    // Stand-in until the Schedule trigger is part of the default registry.
    registry.register(
      defineSubPlugin({
        type: 'io.kestra.plugin.core.trigger.Schedule',
        category: 'trigger',
        title: 'Schedule',
        description: 'cron trigger',
        properties: z.object({ cron: z.string() }),
        implementation: {},
      }),
    );
  }
  return registry;
}

describe('shipped examples', () => {
  const registry = exampleRegistry();
  const files = readdirSync(examplesDir).filter((file) => file.endsWith('.yml'));

  test('there is one example per documented use', () => {
    for (const name of [
      'rag-ingest',
      'rag-ask',
      'rag-search',
      'rag-scheduled',
      'rag-store-qdrant',
      'rag-store-pgvector',
      'rag-compare',
    ]) {
      assert.ok(files.includes(`${name}.yml`), name);
    }
  });

  for (const file of files) {
    test(`${file} is a valid flow with a description`, (t) => {
      const source = readFileSync(join(examplesDir, file), 'utf8');
      const storeType = /type: (io\.kestra\.plugin\.ai\.embeddings\.\w+)/.exec(source)?.[1];
      if (storeType && !registry.get(storeType)) {
        t.skip(`${storeType} is not registered in this build yet`);
        return;
      }
      const result = loadFlows(source, registry, { file });
      assert.ok(
        result.ok,
        result.ok ? '' : result.violations.map((v) => `${v.line}:${v.column} ${v.path} ${v.message}`).join('\n'),
      );
      assert.ok(result.flows[0]?.spec.description, `${file} needs a description`);
    });
  }
});
