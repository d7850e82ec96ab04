import type { z } from 'zod';
import type { RunContext } from './run-context.ts';

/**
 * What a plugin is, by the place it takes in a flow: tasks and triggers are list items;
 * the others are sub-plugins chosen by `type:` inside a task (the reference's polymorphic
 * properties such as `provider:`, `embeddings:`, `contentRetrievers:` and `memory:`).
 */
export type PluginCategory = 'task' | 'trigger' | 'condition' | 'provider' | 'embeddings' | 'retriever' | 'memory';

/** Every category, in the order schemas list them. */
export const PLUGIN_CATEGORIES: readonly PluginCategory[] = [
  'task',
  'trigger',
  'condition',
  'provider',
  'embeddings',
  'retriever',
  'memory',
];

export interface PluginExample {
  title: string;
  /** A complete flow in YAML. */
  code: string;
}

/**
 * One definition per plugin: the schema of its properties gives the TypeScript type,
 * runtime validation, the JSON Schema for editors and the docs page.
 */
export interface PluginDefinition<Props extends z.ZodObject = z.ZodObject> {
  /** Canonical fully-qualified type, e.g. `io.kestra.plugin.core.log.Log`. */
  type: string;
  /** Other names the type is known by (legacy `io.kestra.core.tasks.*`, `io.kestra.plugin.langchain4j.*`). */
  aliases?: string[];
  category: PluginCategory;
  title: string;
  description: string;
  /** The plugin's own properties (task base properties are added by the flow model). */
  properties: Props;
  /** Schema of the outputs, for docs and `{{ outputs.<taskId>. }}` completions. */
  outputs?: z.ZodObject;
  examples?: PluginExample[];
}

/** A runnable task: the worker renders its properties, validates them, and calls `run`. */
export interface TaskDefinition<Props extends z.ZodObject = z.ZodObject> extends PluginDefinition<Props> {
  category: 'task';
  /** Flowable tasks are driven by the executor and have no `run`; see engine/flowable. */
  flowable?: false;
  /**
   * Properties left unrendered for the task to render itself (templates evaluated per item,
   * or nested sub-plugins rendered when opened). Everything else is rendered before `run`.
   */
  lateRendered?: string[];
  run(ctx: RunContext, props: z.output<Props>): Promise<Record<string, unknown>>;
}

/** A flowable task: its children are task lists the executor schedules. */
export interface FlowableDefinition<Props extends z.ZodObject = z.ZodObject> extends PluginDefinition<Props> {
  category: 'task';
  flowable: true;
  /** Names of properties that hold child task lists (`tasks`, `then`, `else`, `errors`, ...). */
  childTaskLists: string[];
  /** Name of a property holding a map of task lists (Switch `cases`). */
  childTaskMaps?: string[];
}

export type AnyTaskDefinition = TaskDefinition | FlowableDefinition;

export function defineTask<Props extends z.ZodObject>(definition: TaskDefinition<Props>): TaskDefinition<Props> {
  return definition;
}

export function defineFlowable<Props extends z.ZodObject>(
  definition: FlowableDefinition<Props>,
): FlowableDefinition<Props> {
  return definition;
}

/** A sub-plugin (provider, store, condition, trigger): an implementation object of its category's spec. */
export interface SubPluginDefinition<Props extends z.ZodObject = z.ZodObject, Impl = unknown>
  extends PluginDefinition<Props> {
  category: Exclude<PluginCategory, 'task'>;
  implementation: Impl;
}

export function defineSubPlugin<Props extends z.ZodObject, Impl>(
  definition: SubPluginDefinition<Props, Impl>,
): SubPluginDefinition<Props, Impl> {
  return definition;
}

export type AnyPluginDefinition = AnyTaskDefinition | SubPluginDefinition;
