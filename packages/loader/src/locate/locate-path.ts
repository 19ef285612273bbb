import * as path from 'node:path';
import type { IssuePath } from '@osa-gitops/core';
import type * as TS from 'typescript';

export interface SourceLocation {
  /** Workspace-relative POSIX path of the file holding the property (a shared base, perhaps). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

type Parse = (file: string) => TS.SourceFile | undefined;

interface Found {
  readonly sf: TS.SourceFile;
  readonly node: TS.Expression;
}

/** How far identifiers, imports and spreads are followed (a cycle must not loop). */
const MAX_HOPS = 32;

/**
 * Where `issuePath` sits in the definition `file`: the default export is followed into the
 * object literal it builds (through `defineEnvironment(...)`, `as`/`satisfies`, local constants
 * and relative imports), then each path segment is looked up as a property (the last one written
 * wins, as in JavaScript, including keys that arrive through `...spread`) or an array element.
 * The result is the deepest property found; a key that does not exist in the source (a required
 * key left out) yields the object that should hold it. Undefined when the file has no default
 * export of an object literal the walk can see.
 */
export function locatePath(
  ts: typeof TS,
  parse: Parse,
  file: string,
  issuePath: IssuePath,
): SourceLocation | undefined {
  const sf = parse(file);
  if (sf === undefined) return undefined;
  const exported = sf.statements.find(
    (s): s is TS.ExportAssignment => ts.isExportAssignment(s) && !s.isExportEquals,
  );
  if (exported === undefined) return undefined;
  let best = at(sf, exported.expression);
  let cur = resolve(ts, parse, sf, exported.expression, 0);
  if (cur !== undefined) best = at(cur.sf, cur.node);
  for (const seg of issuePath) {
    if (cur === undefined) break;
    if (ts.isObjectLiteralExpression(cur.node)) {
      const hit = findKey(ts, parse, cur.sf, cur.node, String(seg), 0);
      if (hit === undefined) break;
      best = at(hit.sf, hit.name);
      cur = hit.value === undefined ? undefined : resolve(ts, parse, hit.sf, hit.value, 0);
    } else if (ts.isArrayLiteralExpression(cur.node) && typeof seg === 'number') {
      const before = cur.node.elements.slice(0, seg + 1);
      if (before.some((e) => ts.isSpreadElement(e))) break; // indexes after a spread are not knowable here
      const element = cur.node.elements[seg];
      if (element === undefined) break;
      best = at(cur.sf, element);
      cur = resolve(ts, parse, cur.sf, element, 0);
    } else {
      break;
    }
  }
  return best;
}

function at(sf: TS.SourceFile, node: TS.Node): SourceLocation {
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { file: sf.fileName, line: line + 1, column: character + 1 };
}

/** The object or array literal an expression evaluates to, when the source shows it plainly. */
function resolve(
  ts: typeof TS,
  parse: Parse,
  sf: TS.SourceFile,
  expr: TS.Expression,
  hops: number,
): Found | undefined {
  if (hops > MAX_HOPS) return undefined;
  let e = expr;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return { sf, node: e };
  if (ts.isCallExpression(e)) {
    // defineEnvironment({...}), definePartial(base), structuredClone(base): the data argument.
    for (const arg of e.arguments) {
      const r = resolve(ts, parse, sf, arg, hops + 1);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (ts.isIdentifier(e)) return resolveName(ts, parse, sf, e.text, hops + 1);
  if (ts.isPropertyAccessExpression(e)) {
    // `...base.deploy`: the object `base` holds, then its key.
    const owner = resolve(ts, parse, sf, e.expression, hops + 1);
    if (owner === undefined || !ts.isObjectLiteralExpression(owner.node)) return undefined;
    const hit = findKey(ts, parse, owner.sf, owner.node, e.name.text, hops + 1);
    return hit?.value === undefined ? undefined : resolve(ts, parse, hit.sf, hit.value, hops + 1);
  }
  return undefined;
}

/** A top-level `const name = …` of this file, or what an import binding of that name points at. */
function resolveName(
  ts: typeof TS,
  parse: Parse,
  sf: TS.SourceFile,
  name: string,
  hops: number,
): Found | undefined {
  if (hops > MAX_HOPS) return undefined;
  for (const s of sf.statements) {
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) {
          return resolve(ts, parse, sf, d.initializer, hops + 1);
        }
      }
    }
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.importClause) {
      const from = s.moduleSpecifier.text;
      const clause = s.importClause;
      if (clause.name?.text === name) return resolveExport(ts, parse, sf.fileName, from, 'default', hops + 1);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          if (el.name.text === name) {
            return resolveExport(ts, parse, sf.fileName, from, (el.propertyName ?? el.name).text, hops + 1);
          }
        }
      }
    }
  }
  return undefined;
}

function resolveExport(
  ts: typeof TS,
  parse: Parse,
  importer: string,
  specifier: string,
  exported: string,
  hops: number,
): Found | undefined {
  if (!specifier.startsWith('.')) return undefined; // packages (core's helpers) hold no definition data
  const base = path.posix.join(path.posix.dirname(importer), specifier);
  const candidates = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')];
  for (const file of candidates) {
    const sf = /\.[cm]?ts$/.test(file) ? parse(file) : undefined;
    if (sf === undefined) continue;
    if (exported === 'default') {
      const ea = sf.statements.find(
        (s): s is TS.ExportAssignment => ts.isExportAssignment(s) && !s.isExportEquals,
      );
      return ea === undefined ? undefined : resolve(ts, parse, sf, ea.expression, hops + 1);
    }
    for (const s of sf.statements) {
      if (
        ts.isExportDeclaration(s) &&
        !s.moduleSpecifier &&
        s.exportClause &&
        ts.isNamedExports(s.exportClause)
      ) {
        for (const el of s.exportClause.elements) {
          if (el.name.text === exported)
            return resolveName(ts, parse, sf, (el.propertyName ?? el.name).text, hops + 1);
        }
      }
    }
    return resolveName(ts, parse, sf, exported, hops + 1);
  }
  return undefined;
}

interface KeyHit {
  readonly sf: TS.SourceFile;
  readonly name: TS.Node;
  readonly value: TS.Expression | undefined;
}

/** The property that supplies `key`: the last one written, looking into spreads. */
function findKey(
  ts: typeof TS,
  parse: Parse,
  sf: TS.SourceFile,
  obj: TS.ObjectLiteralExpression,
  key: string,
  hops: number,
): KeyHit | undefined {
  if (hops > MAX_HOPS) return undefined;
  for (let i = obj.properties.length - 1; i >= 0; i--) {
    const p = obj.properties[i]!;
    if (ts.isSpreadAssignment(p)) {
      const spread = resolve(ts, parse, sf, p.expression, hops + 1);
      if (spread !== undefined && ts.isObjectLiteralExpression(spread.node)) {
        const hit = findKey(ts, parse, spread.sf, spread.node, key, hops + 1);
        if (hit !== undefined) return hit;
      }
      continue;
    }
    if (p.name === undefined || propertyName(ts, p.name) !== key) continue;
    if (ts.isPropertyAssignment(p)) return { sf, name: p.name, value: p.initializer };
    if (ts.isShorthandPropertyAssignment(p)) return { sf, name: p.name, value: p.name };
    return { sf, name: p.name, value: undefined };
  }
  return undefined;
}

function propertyName(ts: typeof TS, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}
