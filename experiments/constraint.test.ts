import { describe, expect, it } from 'vitest';
import { ConfigError } from '../engine/config-error.js';
import type { ParamSchema } from '../engine/params.js';
import { constraintNames, ConstraintSyntaxError, evaluateConstraint, parseConstraint, parseConstraintExpression, type ConstraintNode } from './constraint.js';

const schema = {
  fast: { type: 'int', default: 10, min: 1, description: 'fast' },
  slow: { type: 'int', default: 30, min: 2, description: 'slow' },
  ratio: { type: 'number', default: 0.5, description: 'ratio' },
  longOnly: { type: 'boolean', default: true, description: 'long only' },
  entry: { type: 'enum', values: ['stop', 'limit'], default: 'stop', description: 'entry' },
} as const satisfies ParamSchema;

/** The AST as a fully parenthesized string, to check precedence and associativity. */
function show(node: ConstraintNode): string {
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'param':
      return node.name;
    case 'negate':
      return `(-${show(node.operand)})`;
    default:
      return `(${show(node.left)} ${node.op} ${show(node.right)})`;
  }
}

const parsed = (text: string): string => show(parseConstraintExpression(text));

function syntaxError(text: string): { reason: string; column: number } {
  try {
    parseConstraintExpression(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConstraintSyntaxError);
    const e = error as ConstraintSyntaxError;
    return { reason: e.reason, column: e.column };
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

function configError(text: string): string {
  try {
    parseConstraint(text, 'constraints[2]', schema);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseConstraintExpression: precedence and grouping', () => {
  it('* and / bind tighter than + and -, which bind tighter than comparisons', () => {
    expect(parsed('slow >= 2 * fast')).toBe('(slow >= (2 * fast))');
    expect(parsed('fast + 2 * slow < 100')).toBe('((fast + (2 * slow)) < 100)');
    expect(parsed('fast * 2 + slow / 3 == 7')).toBe('(((fast * 2) + (slow / 3)) == 7)');
  });

  it('arithmetic is left-associative', () => {
    expect(parsed('slow - fast - 1 > 0')).toBe('(((slow - fast) - 1) > 0)');
    expect(parsed('slow / fast / 2 > 0')).toBe('(((slow / fast) / 2) > 0)');
  });

  it('&& binds tighter than ||', () => {
    expect(parsed('fast < 5 || fast > 10 && slow < 50')).toBe('((fast < 5) || ((fast > 10) && (slow < 50)))');
    expect(parsed('fast < 5 && slow < 50 || ratio == 1')).toBe('(((fast < 5) && (slow < 50)) || (ratio == 1))');
  });

  it('parentheses group arithmetic and conditions', () => {
    expect(parsed('(fast + 1) * 2 <= slow')).toBe('(((fast + 1) * 2) <= slow)');
    expect(parsed('(fast < 5 || fast > 10) && slow < 50')).toBe('(((fast < 5) || (fast > 10)) && (slow < 50))');
    expect(parsed('((fast)) != ((slow))')).toBe('(fast != slow)');
  });

  it('unary minus, decimals and exponents', () => {
    expect(parsed('-fast < -2.5')).toBe('((-fast) < (-2.5))');
    expect(parsed('ratio * --1 >= .5e-1')).toBe('((ratio * (-(-1))) >= 0.05)');
    expect(parsed('  fast<slow  ')).toBe('(fast < slow)');
  });

  it('lists the parameter names used, each once', () => {
    expect(constraintNames(parseConstraintExpression('slow >= 2 * fast && fast + slow < slow * ratio'))).toEqual(['slow', 'fast', 'ratio']);
  });
});

describe('parseConstraintExpression: errors with columns', () => {
  it.each([
    ['fast <', 'expected a number, a parameter name or "(", found the end', 7],
    ['fast < < slow', 'expected a number, a parameter name or "(", found "<"', 8],
    ['fast = slow', 'unexpected character "=" — compare with ==', 6],
    ['fast < slow & slow > 2', 'unexpected character "&" — join with &&', 13],
    ['fast < slow | slow > 2', 'unexpected character "|" — join with ||', 13],
    ['fast < slow; x', 'unexpected character ";"', 12],
    ['(fast < slow', 'expected ")" to close the "(" at column 1, found the end', 13],
    ['fast < slow)', 'unmatched ")"', 12],
    ['fast slow', 'expected an operator or the end, found "slow"', 6],
    ['1 < fast < 10', 'comparisons cannot be chained — write "a < b && b < c"', 10],
    ['fast', 'expected a comparison such as "fast < slow" (a number alone is not a condition)', 1],
    ['fast + 1', 'expected a comparison such as "fast < slow" (a number alone is not a condition)', 1],
    ['fast < 5 && slow', 'expected a comparison such as "fast < slow" (a number alone is not a condition)', 13],
    ['(fast < slow) + 1 > 2', 'expected a number, found a condition — arithmetic and comparisons take numbers', 2],
    ['', 'expected a number, a parameter name or "(", found the end', 1],
  ])('%j: %s at column %i', (text, reason, column) => {
    expect(syntaxError(text)).toEqual({ reason, column });
  });

  it('the error message ends with the column', () => {
    expect(() => parseConstraintExpression('fast <')).toThrow('expected a number, a parameter name or "(", found the end at column 7');
  });
});

describe('evaluateConstraint', () => {
  const value = (text: string, params: Record<string, number>) => evaluateConstraint(parseConstraintExpression(text), params);

  it('compares and combines like the operators it stands for', () => {
    expect(value('fast < slow', { fast: 10, slow: 30 })).toBe(true);
    expect(value('fast < slow', { fast: 30, slow: 30 })).toBe(false);
    expect(value('fast <= slow', { fast: 30, slow: 30 })).toBe(true);
    expect(value('slow >= 2 * fast', { fast: 15, slow: 30 })).toBe(true);
    expect(value('slow >= 2 * fast', { fast: 16, slow: 30 })).toBe(false);
    expect(value('fast == 3 || fast != 3 && slow > 1', { fast: 4, slow: 0 })).toBe(false);
    expect(value('(fast + 1) * 2 == slow / 3 - -1', { fast: 4, slow: 27 })).toBe(true);
  });

  it('division by zero and NaN: IEEE-754, comparisons with NaN are false (except !=)', () => {
    expect(value('fast / slow > 100', { fast: 1, slow: 0 })).toBe(true);
    expect(value('fast / slow < 1', { fast: 0, slow: 0 })).toBe(false);
    expect(value('fast / slow != 1', { fast: 0, slow: 0 })).toBe(true);
  });
});

describe('parseConstraint (against a strategy schema)', () => {
  it('tests params, taking schema defaults for params a cell does not set', () => {
    const c = parseConstraint('slow >= 2 * fast', 'constraints[0]', schema);
    expect(c.text).toBe('slow >= 2 * fast');
    expect(c.test({ fast: 15, slow: 30 })).toBe(true);
    expect(c.test({ fast: 16, slow: 30 })).toBe(false);
    expect(c.test({ fast: 16 })).toBe(false); // slow defaults to 30
    expect(c.test({ fast: 15 })).toBe(true);
    expect(c.test({})).toBe(true); // 30 >= 20
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('a non-numeric value fails the comparison', () => {
    const c = parseConstraint('fast < slow', 'constraints[0]', schema);
    expect(c.test({ fast: 'x', slow: 30 })).toBe(false);
  });

  it('names the constraint, the unknown parameter with its column, and the known ones', () => {
    expect(configError('fast < slwo')).toBe('constraints[2]: "fast < slwo": unknown parameter slwo at column 8 — known: fast, slow, ratio, longOnly, entry');
    expect(configError('constructor > 1')).toBe('constraints[2]: "constructor > 1": unknown parameter constructor at column 1 — known: fast, slow, ratio, longOnly, entry');
  });

  it('rejects boolean and enum parameters (constraints compare numbers)', () => {
    expect(configError('longOnly < 1')).toBe('constraints[2]: "longOnly < 1": longOnly at column 1 is a boolean parameter — constraints compare numeric parameters only');
    expect(configError('fast > 1 && entry == 1')).toBe('constraints[2]: "fast > 1 && entry == 1": entry at column 13 is an enum parameter — constraints compare numeric parameters only');
  });

  it('syntax errors are ConfigErrors quoting the text', () => {
    expect(configError('fast < < slow')).toBe('constraints[2]: "fast < < slow": expected a number, a parameter name or "(", found "<" at column 8');
  });

  it('never evaluates code: anything beyond the grammar is a syntax error', () => {
    for (const text of ['process.exit(1) == 0', 'fast < slow; globalThis.x = 1', 'fast["x"] < 1', '`${fast}` < 1', 'fast < slow ? 1 : 0']) {
      expect(() => parseConstraint(text, 'constraints[0]', schema)).toThrow(ConfigError);
    }
  });
});
