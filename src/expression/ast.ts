/** Parsed form of templates and expressions. Every node keeps its offset in the source for errors. */

export interface Arguments {
  positional: Expression[];
  named: Array<[string, Expression]>;
}

export type Expression =
  | { kind: 'literal'; pos: number; value: unknown }
  | { kind: 'variable'; pos: number; name: string }
  | { kind: 'member'; pos: number; object: Expression; name: string }
  | { kind: 'index'; pos: number; object: Expression; index: Expression }
  | { kind: 'call'; pos: number; name: string; args: Arguments }
  /** `object.name(args)`: an allow-listed member of a string, list or map (see members.ts). */
  | { kind: 'method'; pos: number; object: Expression; name: string; args: Arguments }
  | { kind: 'filter'; pos: number; input: Expression; name: string; args: Arguments }
  | { kind: 'test'; pos: number; input: Expression; name: string; negated: boolean; args: Arguments }
  | { kind: 'unary'; pos: number; operator: 'not' | '-' | '+'; operand: Expression }
  | { kind: 'binary'; pos: number; operator: string; left: Expression; right: Expression }
  | { kind: 'conditional'; pos: number; test: Expression; then: Expression; otherwise: Expression }
  | { kind: 'list'; pos: number; items: Expression[] }
  | { kind: 'map'; pos: number; entries: Array<[Expression, Expression]> };

export type TemplateNode =
  | { kind: 'text'; pos: number; value: string }
  | { kind: 'print'; pos: number; expression: Expression }
  | { kind: 'if'; pos: number; branches: Array<{ test: Expression; body: TemplateNode[] }>; otherwise: TemplateNode[] }
  | {
      kind: 'for';
      pos: number;
      variable: string;
      iterable: Expression;
      body: TemplateNode[];
      otherwise: TemplateNode[];
    }
  | { kind: 'set'; pos: number; name: string; value: Expression }
  | {
      kind: 'filterBlock';
      pos: number;
      filters: Array<{ pos: number; name: string; args: Arguments }>;
      body: TemplateNode[];
    };

/** A parsed template: its source (for error positions) and its nodes. */
export interface Template {
  readonly source: string;
  readonly nodes: TemplateNode[];
}
