/**
 * Bounds that keep a template from exhausting the process: a flow author's mistake (or a
 * hostile template) fails with a clear error instead of hanging the worker or running it out
 * of memory.
 */
export const LIMITS = {
  /** Nesting of brackets, operators and tags. */
  maxNesting: 64,
  /** Depth of an expression's tree (operators chained, calls nested). */
  maxExpressionDepth: 256,
  /** Items of a list built while rendering (`+`, `merge`, `flatten`). */
  maxListLength: 1_000_000,
  /** Characters of a template or expression source. */
  maxTemplateLength: 1_000_000,
  /** Characters of a rendered output or of any string built while rendering (10 MB). */
  maxOutputLength: 10 * 1024 * 1024,
  /** Items produced by `range()` or `a..b`. */
  maxRangeSize: 1_000_000,
  /** Evaluation steps of one render (each expression node and loop iteration counts one). */
  maxSteps: 5_000_000,
  /** Depth of `render()` inside `render()`. */
  maxRenderDepth: 10,
  /** Parsed templates kept in the cache. */
  cacheSize: 2_000,
};
