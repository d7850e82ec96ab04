import { ExpressionValueError } from './template-error.ts';
import {
  asNumber,
  checkLength,
  checkListLength,
  compare,
  contains,
  deepEqual,
  makeRange,
  toText,
  typeName,
} from './values.ts';

function numbers(operator: string, left: unknown, right: unknown): [number, number] {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a === undefined || b === undefined) {
    throw new ExpressionValueError(
      `operator '${operator}' expects numbers, got ${typeName(left)} and ${typeName(right)}`,
    );
  }
  return [a, b];
}

/** Operators whose operands are both evaluated. */
export function binaryOperation(operator: string, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '<':
      return compare(left, right) < 0;
    case '>':
      return compare(left, right) > 0;
    case '<=':
      return compare(left, right) <= 0;
    case '>=':
      return compare(left, right) >= 0;
    case 'in':
      return contains(right, left);
    case 'not in':
      return !contains(right, left);
    case 'contains':
      return contains(left, right);
    case '~':
      return checkLength(toText(left) + toText(right));
    case '+': {
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      if (typeof left === 'string' || typeof right === 'string') {
        const a = asNumber(left);
        const b = asNumber(right);
        if (a !== undefined && b !== undefined && typeof left !== typeof right) return a + b;
        return checkLength(toText(left) + toText(right));
      }
      if (Array.isArray(left) && Array.isArray(right)) return checkListLength([...left, ...right]);
      const [a, b] = numbers('+', left, right);
      return a + b;
    }
    case '-': {
      const [a, b] = numbers('-', left, right);
      return a - b;
    }
    case '*': {
      const [a, b] = numbers('*', left, right);
      return a * b;
    }
    case '/': {
      const [a, b] = numbers('/', left, right);
      if (b === 0) throw new ExpressionValueError('division by zero');
      return a / b;
    }
    case '//': {
      const [a, b] = numbers('//', left, right);
      if (b === 0) throw new ExpressionValueError('division by zero');
      return Math.trunc(a / b);
    }
    case '%': {
      const [a, b] = numbers('%', left, right);
      if (b === 0) throw new ExpressionValueError('modulo by zero');
      return a % b;
    }
    case '..': {
      const [a, b] = numbers('..', left, right);
      return makeRange(a, b, 1);
    }
    default:
      throw new ExpressionValueError(`unknown operator '${operator}'`);
  }
}

// The cache and entry points live here, next to the evaluator, because the context given to
// functions (`render()`, host functions) renders nested templates through them.
