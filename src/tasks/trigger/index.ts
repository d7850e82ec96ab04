import type { AnyPluginDefinition } from '../../plugin/define-plugin.ts';
import { conditionPlugins } from './conditions.ts';
import { flowTrigger } from './flow-trigger.ts';
import { scheduleTrigger } from './schedule-trigger.ts';
import { webhookTrigger } from './webhook-trigger.ts';

export type { ConditionContext, ConditionImplementation } from './condition-spec.ts';
export type { TriggerImplementation } from './schedule-trigger.ts';

/** Triggers (Schedule, Flow, Webhook) and their conditions, for the default registry. */
export const triggerPlugins: AnyPluginDefinition[] = [
  scheduleTrigger,
  flowTrigger,
  webhookTrigger,
  ...(conditionPlugins as AnyPluginDefinition[]),
];
