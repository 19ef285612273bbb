/**
 * GitHub Actions expressions (`${{ … }}`), as far as this repository's workflows use them:
 * literals, context paths (`needs.plan.outputs.has-sites`, `github.event.workflow_run.head_sha`,
 * `a['b']`), `!`, `==`, `!=`, `<`, `>`, `&&`, `||` (which return an operand, not a boolean),
 * parentheses and the functions fromJSON, toJSON, startsWith, endsWith, contains, format, and the
 * status checks always(), cancelled(), success(), failure(). Semantics follow GitHub's docs: loose
 * equality (strings case-insensitively, numbers by value, other types coerced to numbers), falsy
 * values are false, 0, -0, '', null and a missing property.
 */
export type Value = unknown;

export interface ExpressionContext {
  readonly [name: string]: Value;
}

export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
  always(): boolean;
}

const NO_STATUS: StatusFunctions = {
  success: () => true,
  failure: () => false,
  cancelled: () => false,
  always: () => true,
};

type Token =
  { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in ${src}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '&&', '||', '<=', '>='].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('!()[].,<>*'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const num = /^-?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(src.slice(i));
    if (num && (c === '-' || /\d/.test(c))) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new Error(`unexpected ${JSON.stringify(c)} in expression ${src}`);
  }
  return out;
}

export function truthy(v: Value): boolean {
  return !(v === false || v === 0 || v === '' || v === null || v === undefined || Number.isNaN(v));
}

function toNumber(v: Value): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

function looseEquals(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return a === b;
  if (typeof a === typeof b && typeof a !== 'string') return a === b || (a == null && b == null);
  return toNumber(a) === toNumber(b);
}

export function toText(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, null, 2);
}

function index(obj: Value, key: Value): Value {
  if (obj === null || obj === undefined || typeof obj !== 'object') return null;
  if (Array.isArray(obj)) return typeof key === 'number' ? (obj[key] ?? null) : null;
  const k = String(key);
  const rec = obj as Record<string, Value>;
  if (k in rec) return rec[k];
  // Context property names are case-insensitive.
  const found = Object.keys(rec).find((x) => x.toLowerCase() === k.toLowerCase());
  return found === undefined ? null : rec[found];
}

/** Evaluate one expression (the text between `${{` and `}}`). */
export function evaluate(src: string, ctx: ExpressionContext, status: StatusFunctions = NO_STATUS): Value {
  const tokens = tokenize(src);
  let p = 0;
  const peek = (): Token | undefined => tokens[p];
  const isOp = (v: string): boolean => peek()?.t === 'op' && peek()!.v === v;
  const expect = (v: string): void => {
    if (!isOp(v)) throw new Error(`expected ${v} in ${src}`);
    p++;
  };

  const or = (): Value => {
    let left = and();
    while (isOp('||')) {
      p++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): Value => {
    let left = cmp();
    while (isOp('&&')) {
      p++;
      const right = cmp();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const cmp = (): Value => {
    let left = unary();
    for (;;) {
      const op = peek();
      if (op?.t !== 'op' || !['==', '!=', '<', '>', '<=', '>='].includes(op.v)) return left;
      p++;
      const right = unary();
      if (op.v === '==') left = looseEquals(left, right);
      else if (op.v === '!=') left = !looseEquals(left, right);
      else {
        const [a, b] = [toNumber(left), toNumber(right)];
        left = op.v === '<' ? a < b : op.v === '>' ? a > b : op.v === '<=' ? a <= b : a >= b;
      }
    }
  };
  const unary = (): Value => {
    if (isOp('!')) {
      p++;
      return !truthy(unary());
    }
    return postfix();
  };
  const postfix = (): Value => {
    let v = primary();
    for (;;) {
      if (isOp('.')) {
        p++;
        const t = tokens[p++];
        if (t?.t === 'op' && t.v === '*') throw new Error(`object filters are not supported: ${src}`);
        if (t?.t !== 'id') throw new Error(`expected a property name in ${src}`);
        v = index(v, t.v);
      } else if (isOp('[')) {
        p++;
        const key = or();
        expect(']');
        v = index(v, key);
      } else return v;
    }
  };
  const primary = (): Value => {
    const t = tokens[p++];
    if (!t) throw new Error(`unexpected end of ${src}`);
    if (t.t === 'num' || t.t === 'str') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (t.t !== 'id') throw new Error(`unexpected ${t.v} in ${src}`);
    if (t.v === 'true') return true;
    if (t.v === 'false') return false;
    if (t.v === 'null') return null;
    if (isOp('(')) {
      p++;
      const args: Value[] = [];
      while (!isOp(')')) {
        args.push(or());
        if (isOp(',')) p++;
      }
      p++;
      return call(t.v, args);
    }
    return index(ctx, t.v);
  };
  const call = (name: string, args: Value[]): Value => {
    switch (name.toLowerCase()) {
      case 'fromjson':
        return JSON.parse(toText(args[0]));
      case 'tojson':
        return JSON.stringify(args[0], null, 2);
      case 'startswith':
        return toText(args[0]).toLowerCase().startsWith(toText(args[1]).toLowerCase());
      case 'endswith':
        return toText(args[0]).toLowerCase().endsWith(toText(args[1]).toLowerCase());
      case 'contains':
        return Array.isArray(args[0])
          ? args[0].some((x) => looseEquals(x, args[1]))
          : toText(args[0]).toLowerCase().includes(toText(args[1]).toLowerCase());
      case 'format':
        return toText(args[0]).replace(/\{(\d+)\}/g, (_, n: string) => toText(args[Number(n) + 1]));
      case 'success':
        return status.success();
      case 'failure':
        return status.failure();
      case 'cancelled':
        return status.cancelled();
      case 'always':
        return status.always();
      default:
        throw new Error(`unsupported function ${name}() in ${src}`);
    }
  };

  const v = or();
  if (p !== tokens.length) throw new Error(`unexpected ${JSON.stringify(tokens[p])} in ${src}`);
  return v;
}

const WHOLE = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/;
const PART = /\$\{\{([\s\S]*?)\}\}/g;

/**
 * A workflow value: a string that is one `${{ }}` keeps the expression's type (a matrix from
 * fromJSON, a boolean); text around expressions makes a string. Non-strings are walked.
 */
export function interpolate(value: Value, ctx: ExpressionContext, status?: StatusFunctions): Value {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole && !whole[1]!.includes('}}')) return evaluate(whole[1]!, ctx, status);
    return value.replace(PART, (_, e: string) => toText(evaluate(e, ctx, status)));
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, ctx, status));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, ctx, status)]));
  return value;
}

/** A job's or step's `if:`: the `${{ }}` may be left out, and the default is success(). */
export function condition(src: unknown, ctx: ExpressionContext, status: StatusFunctions): boolean {
  if (src === undefined || src === null || src === '') return status.success();
  if (typeof src === 'boolean') return src;
  const text = String(src);
  const whole = WHOLE.exec(text);
  const expr = whole ? whole[1]! : text;
  // GitHub adds success() unless the condition calls a status function itself.
  const hasStatus = /\b(success|failure|cancelled|always)\s*\(/i.test(expr);
  const v = truthy(evaluate(expr, ctx, status));
  return hasStatus ? v : v && status.success();
}
