import type { ProviderContext } from '../../ai/providers/provider-plugin.ts';
import type { StoreOpenContext } from '../../ai/stores/store-plugin.ts';
import type { RunContext } from '../../plugin/run-context.ts';

/** What providers get from a task run. */
export function providerContextOf(ctx: RunContext): ProviderContext {
  return { dataDir: ctx.dataDir, logger: ctx.logger, resources: ctx.resources, signal: ctx.signal };
}

/** What stores get from a task run: the flow names the default embedded store. */
export function storeContextOf(ctx: RunContext): StoreOpenContext {
  return {
    dataDir: ctx.dataDir,
    namespace: ctx.flow.namespace,
    flowId: ctx.flow.id,
    signal: ctx.signal,
    logger: ctx.logger,
    resources: ctx.resources,
  };
}
