import type { Execution } from '../../model/execution.ts';

/** What a condition sees when a trigger is evaluated. */
export interface ConditionContext {
  /** The date being evaluated (a Schedule's trigger date; "now" for other triggers). */
  date: Date;
  /** The time zone calendar fields are read in (the Schedule's `timezone`). */
  timezone: string;
  /** The flow that owns the trigger. */
  flow: { namespace: string; id: string };
  /** The execution that ended, for Flow triggers. */
  execution?: Execution;
  /** Renders a template with the trigger's variables (`trigger.date`, `execution`, ...). */
  render(template: string): Promise<unknown>;
}

/** The implementation of a condition sub-plugin: true when the trigger may fire. */
export interface ConditionImplementation {
  test(props: Record<string, unknown>, ctx: ConditionContext): Promise<boolean>;
}
