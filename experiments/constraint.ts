import { ConfigError } from '../engine/config-error.js';
import type { ParamSchema } from '../engine/params.js';
import type { Constraint, ParamValue } from './experiment.js';

/**
 * Constraints between parameters, e.g. `fast < slow` or `slow >= 2 * fast && fast != 15`: a small
 * expression language parsed into an AST and interpreted — never `eval`ed.
 *
 * Grammar (loosest first):
 * ```
 * or         := and ("||" and)*
 * and        := comparison ("&&" comparison)*
 * comparison := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?   -- at most one, no chains
 * sum        := product (("+" | "-") product)*
 * product    := unary (("*" | "/") unary)*
 * unary      := "-" unary | primary
 * primary    := number | name | "(" or ")"
 * ```
 * Numbers are decimal (`2`, `0.5`, `.5`, `1e-3`); names are parameter names. After parsing, types
 * are checked: `&&`/`||` join comparisons, comparisons and arithmetic take numbers, and the whole
 * constraint must be a comparison (or comparisons joined by `&&`/`||`).
 */

/** A node of a parsed constraint; `column` is the 1-based position of its first character. */
export type ConstraintNode =
  | { readonly kind: 'number'; readonly value: number; readonly column: number }
  | { readonly kind: 'param'; readonly name: string; readonly column: number }
  | { readonly kind: 'negate'; readonly operand: ConstraintNode; readonly column: number }
  | { readonly kind: 'arithmetic'; readonly op: '+' | '-' | '*' | '/'; readonly left: ConstraintNode; readonly right: ConstraintNode; readonly column: number }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: ConstraintNode; readonly right: ConstraintNode; readonly column: number }
  | { readonly kind: 'logical'; readonly op: '&&' | '||'; readonly left: ConstraintNode; readonly right: ConstraintNode; readonly column: number };

type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** A syntax or type error in a constraint, at a 1-based column of its text. */
export class ConstraintSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(`${reason} at column ${column}`);
    this.name = 'ConstraintSyntaxError';
  }
}

interface Token {
  readonly kind: 'number' | 'name' | 'op' | 'end';
  readonly text: string;
  readonly column: number;
}

const OPERATORS = ['<=', '>=', '==', '!=', '&&', '||', '<', '>', '+', '-', '*', '/', '(', ')'];
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space !== null) {
      i += space[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number !== null) {
      tokens.push({ kind: 'number', text: number[0], column: i + 1 });
      i += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name !== null) {
      tokens.push({ kind: 'name', text: name[0], column: i + 1 });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op === undefined) {
      const hint = rest[0] === '=' ? ' — compare with ==' : rest[0] === '&' ? ' — join with &&' : rest[0] === '|' ? ' — join with ||' : '';
      throw new ConstraintSyntaxError(`unexpected character ${JSON.stringify(rest[0])}${hint}`, i + 1);
    }
    tokens.push({ kind: 'op', text: op, column: i + 1 });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return tokens;
}

const COMPARE_OPS: readonly string[] = ['<', '<=', '>', '>=', '==', '!='];

/** Recursive descent over the token list; one method per grammar rule. */
class Parser {
  private at = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parse(): ConstraintNode {
    const node = this.or();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw new ConstraintSyntaxError(next.text === ')' ? 'unmatched ")"' : `expected an operator or the end, found ${describe(next)}`, next.column);
    }
    return node;
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private take(...ops: string[]): Token | undefined {
    const token = this.peek();
    if (token.kind === 'op' && ops.includes(token.text)) {
      this.at++;
      return token;
    }
    return undefined;
  }

  private or(): ConstraintNode {
    let left = this.and();
    for (let op = this.take('||'); op !== undefined; op = this.take('||')) left = { kind: 'logical', op: '||', left, right: this.and(), column: left.column };
    return left;
  }

  private and(): ConstraintNode {
    let left = this.comparison();
    for (let op = this.take('&&'); op !== undefined; op = this.take('&&')) left = { kind: 'logical', op: '&&', left, right: this.comparison(), column: left.column };
    return left;
  }

  private comparison(): ConstraintNode {
    const left = this.sum();
    const op = this.take(...COMPARE_OPS);
    if (op === undefined) return left;
    const right = this.sum();
    const chained = this.peek();
    if (chained.kind === 'op' && COMPARE_OPS.includes(chained.text)) {
      throw new ConstraintSyntaxError(`comparisons cannot be chained — write "a < b && b < c"`, chained.column);
    }
    return { kind: 'compare', op: op.text as CompareOp, left, right, column: left.column };
  }

  private sum(): ConstraintNode {
    let left = this.product();
    for (let op = this.take('+', '-'); op !== undefined; op = this.take('+', '-')) {
      left = { kind: 'arithmetic', op: op.text as '+' | '-', left, right: this.product(), column: left.column };
    }
    return left;
  }

  private product(): ConstraintNode {
    let left = this.unary();
    for (let op = this.take('*', '/'); op !== undefined; op = this.take('*', '/')) {
      left = { kind: 'arithmetic', op: op.text as '*' | '/', left, right: this.unary(), column: left.column };
    }
    return left;
  }

  private unary(): ConstraintNode {
    const minus = this.take('-');
    return minus === undefined ? this.primary() : { kind: 'negate', operand: this.unary(), column: minus.column };
  }

  private primary(): ConstraintNode {
    const token = this.peek();
    if (token.kind === 'number') {
      this.at++;
      return { kind: 'number', value: Number(token.text), column: token.column };
    }
    if (token.kind === 'name') {
      this.at++;
      return { kind: 'param', name: token.text, column: token.column };
    }
    if (this.take('(') !== undefined) {
      const inner = this.or();
      const close = this.peek();
      if (this.take(')') === undefined) throw new ConstraintSyntaxError(`expected ")" to close the "(" at column ${token.column}, found ${describe(close)}`, close.column);
      return inner;
    }
    throw new ConstraintSyntaxError(`expected a number, a parameter name or "(", found ${describe(token)}`, token.column);
  }
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end' : JSON.stringify(token.text);
}

/** Whether a node yields a truth value (comparisons, `&&`, `||`) rather than a number. */
function isBoolean(node: ConstraintNode): boolean {
  return node.kind === 'compare' || node.kind === 'logical';
}

/** Throws when a node mixes truth values and numbers; `wantBoolean` is what the parent needs. */
function checkTypes(node: ConstraintNode, wantBoolean: boolean): void {
  if (wantBoolean && !isBoolean(node)) {
    throw new ConstraintSyntaxError('expected a comparison such as "fast < slow" (a number alone is not a condition)', node.column);
  }
  if (!wantBoolean && isBoolean(node)) throw new ConstraintSyntaxError('expected a number, found a condition — arithmetic and comparisons take numbers', node.column);
  switch (node.kind) {
    case 'number':
    case 'param':
      return;
    case 'negate':
      checkTypes(node.operand, false);
      return;
    case 'arithmetic':
    case 'compare':
      checkTypes(node.left, false);
      checkTypes(node.right, false);
      return;
    case 'logical':
      checkTypes(node.left, true);
      checkTypes(node.right, true);
      return;
  }
}

/**
 * Parses constraint text into its AST and checks that it is a condition. Throws
 * {@link ConstraintSyntaxError} with the 1-based column of the problem. Names are not checked here.
 */
export function parseConstraintExpression(text: string): ConstraintNode {
  const node = new Parser(tokenize(text)).parse();
  checkTypes(node, true);
  return node;
}

/** Parameter names used by a constraint, each once, in order of first use. */
export function constraintNames(node: ConstraintNode): string[] {
  const names = new Set<string>();
  const visit = (n: ConstraintNode): void => {
    if (n.kind === 'param') names.add(n.name);
    else if (n.kind === 'negate') visit(n.operand);
    else if (n.kind !== 'number') {
      visit(n.left);
      visit(n.right);
    }
  };
  visit(node);
  return [...names];
}

/** A numeric param's value; anything else (missing, boolean, text) is NaN, which fails every comparison but `!=`. */
function valueOf(params: Readonly<Record<string, ParamValue>>, name: string, fallback: number): number {
  const value = Object.hasOwn(params, name) ? params[name] : fallback;
  return typeof value === 'number' ? value : Number.NaN;
}

/**
 * Evaluates a node. `defaults` supplies params missing from `params`. Arithmetic is IEEE-754
 * (so `x / 0` is ±Infinity or NaN); comparisons with NaN are false except `!=`.
 */
export function evaluateConstraint(node: ConstraintNode, params: Readonly<Record<string, ParamValue>>, defaults: Readonly<Record<string, number>> = {}): number | boolean {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'param':
      return valueOf(params, node.name, defaults[node.name] ?? Number.NaN);
    case 'negate':
      return -(evaluateConstraint(node.operand, params, defaults) as number);
    case 'arithmetic': {
      const a = evaluateConstraint(node.left, params, defaults) as number;
      const b = evaluateConstraint(node.right, params, defaults) as number;
      return node.op === '+' ? a + b : node.op === '-' ? a - b : node.op === '*' ? a * b : a / b;
    }
    case 'compare':
      return compare(node.op, evaluateConstraint(node.left, params, defaults) as number, evaluateConstraint(node.right, params, defaults) as number);
    case 'logical': {
      const left = evaluateConstraint(node.left, params, defaults) as boolean;
      // Short-circuits like the operators it stands for.
      if (node.op === '&&') return left && (evaluateConstraint(node.right, params, defaults) as boolean);
      return left || (evaluateConstraint(node.right, params, defaults) as boolean);
    }
  }
}

function compare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/**
 * Parses one constraint of an experiment against a strategy's parameter schema. Names must be
 * `int` or `number` parameters of the schema; a parameter a cell does not set takes its schema
 * default when tested. Throws {@link ConfigError} at `path` (e.g. `constraints[1]`) quoting the
 * text, e.g. `constraints[0]: "fast < slwo": unknown parameter slwo at column 8 — known: fast, slow, longOnly`.
 */
export function parseConstraint(text: string, path: string, schema: ParamSchema): Constraint {
  let node: ConstraintNode;
  try {
    node = parseConstraintExpression(text);
  } catch (error) {
    if (error instanceof ConstraintSyntaxError) throw new ConfigError(path, `${JSON.stringify(text)}: ${error.message}`);
    throw error;
  }
  const known = Object.keys(schema);
  const defaults: Record<string, number> = {};
  const check = (n: ConstraintNode): void => {
    if (n.kind === 'param') {
      const spec = schema[n.name];
      if (spec === undefined || !Object.hasOwn(schema, n.name)) {
        throw new ConfigError(path, `${JSON.stringify(text)}: unknown parameter ${n.name} at column ${n.column} — known: ${known.join(', ') || '(none)'}`);
      }
      if (spec.type !== 'int' && spec.type !== 'number') {
        throw new ConfigError(path, `${JSON.stringify(text)}: ${n.name} at column ${n.column} is ${spec.type === 'enum' ? 'an enum' : spec.type === 'string' ? 'a string' : 'a boolean'} parameter — constraints compare numeric parameters only`);
      }
      defaults[n.name] = spec.default;
    } else if (n.kind === 'negate') check(n.operand);
    else if (n.kind !== 'number') {
      check(n.left);
      check(n.right);
    }
  };
  check(node);
  Object.freeze(defaults);
  return Object.freeze({
    text,
    test: (params: Readonly<Record<string, ParamValue>>): boolean => evaluateConstraint(node, params, defaults) === true,
  });
}
