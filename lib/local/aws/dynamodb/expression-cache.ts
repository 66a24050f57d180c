import { createRequire } from 'node:module';

/** What dynalite's validations pass its PEG parsers (validations/index.js validateExpressions). */
interface ParseContext {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, unknown>;
  unusedAttrNames: Record<string, true>;
  unusedAttrVals: Record<string, true>;
  [other: string]: unknown;
}
interface Parser {
  parse(expression: string, options: { context: ParseContext }): unknown;
}

/** A successful parse with stand-ins where the values go, and the placeholders it used. */
interface Template {
  tree: unknown;
  standIns: Map<object, string>;
  usedNames: string[];
  usedValues: string[];
}

/** Entries kept per parser; past this the cache starts again (a client's expressions are a few dozen). */
const maxEntries = 2_000;
/** getImmediateType's order in both parsers: the first of these an AttributeValue holds is its type. */
const valueTypes = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'] as const;
/** The only checks that read a value's contents rather than its type. */
const valueReadingExpression = /between|attribute_type/i;

/**
 * Memoizes dynalite's UpdateExpression and condition (ConditionExpression, KeyConditionExpression,
 * FilterExpression) parsers, which every request runs anew (about 60 µs a write). A parse depends
 * on the expression, the ExpressionAttributeNames and, of each ExpressionAttributeValue, only
 * whether it is there and its type — except BETWEEN, which compares its bounds, and
 * attribute_type, which reads its type name: those are never cached. So a template is parsed once
 * with a stand-in of the same type for each value, and a later request with the same key gets a
 * fresh copy of it with its own value objects in the stand-ins' places (dynalite's actions change
 * the tree they are handed), and marks the same names and values used. Only successful parses are
 * kept: a failing one goes to dynalite's parser with the request's own values, so every error
 * message is dynalite's.
 */
export function cacheExpressionParses(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  for (const module of ['dynalite/db/updateParser.js', 'dynalite/db/conditionParser.js']) {
    const parser = require(module) as Parser;
    const parse = parser.parse.bind(parser);
    const templates = new Map<string, Template>();
    parser.parse = (expression, options) => {
      const context = options.context;
      const key = templateKey(expression, context);
      if (key === undefined) return parse(expression, options);
      let template = templates.get(key);
      if (template === undefined) {
        template = parseTemplate(parse, expression, context);
        if (template === undefined) return parse(expression, options);
        if (templates.size >= maxEntries) templates.clear();
        templates.set(key, template);
      }
      for (const name of template.usedNames) delete context.unusedAttrNames[name];
      for (const name of template.usedValues) delete context.unusedAttrVals[name];
      return instantiate(template, context.attrVals ?? {});
    };
  }
}

let installed = false;

/** What a parse of `expression` depends on, or undefined when it reads values' contents. */
function templateKey(expression: string, context: ParseContext): string | undefined {
  if (valueReadingExpression.test(expression)) return undefined;
  let types = '';
  for (const [name, value] of Object.entries(context.attrVals ?? {})) {
    const type = typeOf(value);
    if (type === undefined) return undefined;
    // Placeholders are `:[0-9a-zA-Z_]+` (checked before any parse), so this cannot be ambiguous.
    types += `${name}=${type},`;
  }
  return `${JSON.stringify(context.attrNames ?? null)}\u0000${types}\u0000${expression}`;
}

/** The type dynalite's parsers see in a value ('' for none), undefined for what is not an AttributeValue object. */
function typeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'attrType' in value) return undefined;
  return valueTypes.find((type) => (value as Record<string, unknown>)[type] != null) ?? '';
}

function parseTemplate(parse: Parser['parse'], expression: string, context: ParseContext): Template | undefined {
  const standIns = new Map<object, string>();
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(context.attrVals ?? {})) {
    const type = typeOf(value);
    const standIn = type ? { [type]: true } : {};
    standIns.set(standIn, name);
    values[name] = standIn;
  }
  const names = context.attrNames ?? {};
  const unusedAttrNames: Record<string, true> = Object.fromEntries(Object.keys(names).map((name) => [name, true]));
  const unusedAttrVals: Record<string, true> = Object.fromEntries(Object.keys(values).map((name) => [name, true]));
  let tree: unknown;
  try {
    tree = parse(expression, { context: { ...context, attrVals: values, unusedAttrNames, unusedAttrVals } });
  } catch {
    return undefined;
  }
  if (typeof tree === 'string') return undefined;
  return {
    tree,
    standIns,
    usedNames: Object.keys(names).filter((name) => !(name in unusedAttrNames)),
    usedValues: Object.keys(values).filter((name) => !(name in unusedAttrVals)),
  };
}

/** A deep copy of the template's tree (prototypes kept) with `values` in place of the stand-ins. */
function instantiate(template: Template, values: Record<string, unknown>): unknown {
  const copy = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    const placeholder = template.standIns.get(node);
    if (placeholder !== undefined) return values[placeholder];
    if (Array.isArray(node)) return node.map(copy);
    const object = Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>;
    for (const [name, value] of Object.entries(node)) object[name] = copy(value);
    return object;
  };
  return copy(template.tree);
}
