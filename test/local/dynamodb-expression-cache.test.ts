import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cacheExpressionParses } from '../../lib/local/aws/dynamodb/expression-cache.js';

type Validation = { types: Record<string, unknown>; custom: (data: Record<string, unknown>, store: unknown) => string | undefined };
interface Validations {
  checkTypes(data: Record<string, unknown>, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(data: Record<string, unknown>, types: Record<string, unknown>, custom: Validation['custom'], store: unknown): void;
}

const require = createRequire(import.meta.url);
const parserModules = ['dynalite/db/updateParser.js', 'dynalite/db/conditionParser.js', 'dynalite/validations/index.js'].map((m) => require.resolve(m));
const operations = ['updateItem', 'putItem', 'deleteItem', 'query', 'scan'] as const;

/** dynalite's validations as shipped, loaded afresh so they use parsers the cache never touched. */
function uncachedValidations(): { validations: Validations; of: Record<(typeof operations)[number], Validation> } {
  const kept = parserModules.map((path) => [path, require.cache[path]] as const);
  const validationPaths = operations.map((op) => require.resolve(`dynalite/validations/${op}.js`));
  const keptValidations = validationPaths.map((path) => [path, require.cache[path]] as const);
  for (const path of [...parserModules, ...validationPaths]) delete require.cache[path];
  try {
    return {
      validations: require('dynalite/validations/index.js') as Validations,
      of: Object.fromEntries(operations.map((op) => [op, require(`dynalite/validations/${op}.js`)])) as Record<(typeof operations)[number], Validation>,
    };
  } finally {
    for (const [path, module] of [...kept, ...keptValidations]) {
      if (module) require.cache[path] = module;
      else delete require.cache[path];
    }
  }
}

const plain = uncachedValidations();
cacheExpressionParses();
const cached = {
  validations: require('dynalite/validations/index.js') as Validations,
  of: Object.fromEntries(operations.map((op) => [op, require(`dynalite/validations/${op}.js`)])) as Record<(typeof operations)[number], Validation>,
};
const store = { options: { maxItemSize: 400 * 1024 } };

/** What dynalite's validation makes of a request: the error it answers, or the request with its parsed expressions. */
function validate(using: typeof plain, operation: (typeof operations)[number], request: Record<string, unknown>): unknown {
  const validation = using.of[operation];
  try {
    const data = using.validations.checkTypes(structuredClone(request), validation.types);
    using.validations.checkValidations(data, validation.types, validation.custom, store);
    return data;
  } catch (error) {
    return { error: (error as { body?: unknown }).body ?? String(error) };
  }
}

function expectSameAsDynalite(operation: (typeof operations)[number], request: Record<string, unknown>): void {
  const expected = validate(plain, operation, request);
  // Twice: the first fills the cache, the second is answered from it.
  for (let i = 0; i < 2; i++) {
    const answer = validate(cached, operation, request);
    expect(answer).toStrictEqual(expected);
    // Prototypes too: dynalite's parsers build some objects without one.
    expect(isDeepStrictEqual(answer, expected)).toBe(true);
  }
}

const key = { pk: { S: 'service#a' }, sk: { S: 'status' } };

describe('cached expression parses answer as dynalite does', () => {
  test.each([
    ['a fenced lease renewal', 'updateItem', {
      ConditionExpression: '#holder = :holder AND #token = :token', UpdateExpression: 'SET #expiresAt = :expiresAt',
      ExpressionAttributeNames: { '#holder': 'holder', '#token': 'token', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':holder': { S: 'h1' }, ':token': { N: '7' }, ':expiresAt': { N: '1000' } },
    }],
    ['an update of all sections', 'updateItem', {
      UpdateExpression: 'SET a.b[2] = list_append(if_not_exists(l, :empty), :l), n = n + :one REMOVE old ADD counter :one, tags :set DELETE gone :set',
      ExpressionAttributeValues: { ':empty': { L: [] }, ':l': { L: [{ S: 'x' }] }, ':one': { N: '1' }, ':set': { SS: ['a', 'b'] } },
    }],
    ['a value used twice', 'updateItem', {
      UpdateExpression: 'SET a = :v, b = :v', ConditionExpression: 'c <> :v', ExpressionAttributeValues: { ':v': { M: { x: { N: '1' } } } },
    }],
    ['an undefined value', 'updateItem', { UpdateExpression: 'SET a = :missing', ExpressionAttributeValues: { ':other': { S: 'x' } } }],
    ['an unused name', 'updateItem', { UpdateExpression: 'SET a = :v', ExpressionAttributeNames: { '#unused': 'x' }, ExpressionAttributeValues: { ':v': { S: 'x' } } }],
    ['ADD of a string', 'updateItem', { UpdateExpression: 'ADD a :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }],
    ['arithmetic on a string', 'updateItem', { UpdateExpression: 'SET a = b + :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }],
    ['overlapping paths', 'updateItem', { UpdateExpression: 'SET a.b = :v, a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }],
    ['a reserved word', 'updateItem', { UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }],
    ['a syntax error', 'updateItem', { UpdateExpression: 'SET a = = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }],
    ['a put with a condition', 'putItem', { Item: { ...key, a: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(pk) OR generation = :g', ExpressionAttributeValues: { ':g': { N: '3' } } }],
    ['size of a number', 'putItem', { Item: key, ConditionExpression: 'size(a) > size(:n)', ExpressionAttributeValues: { ':n': { N: '3' } } }],
    ['begins_with a number', 'putItem', { Item: key, ConditionExpression: 'begins_with(a, :n)', ExpressionAttributeValues: { ':n': { N: '3' } } }],
    ['IN a list of values', 'deleteItem', { ConditionExpression: '#s IN (:a, :b, :c)', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'b' }, ':c': { N: '1' } } }],
    ['BETWEEN bounds the wrong way round', 'deleteItem', { ConditionExpression: 'a BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': { N: '3' }, ':hi': { N: '2' } } }],
    ['attribute_type with a bad type name', 'deleteItem', { ConditionExpression: 'attribute_type(a, :t)', ExpressionAttributeValues: { ':t': { S: 'Q' } } }],
    ['a key condition with a filter', 'query', {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': { S: 'service#a' }, ':prefix': { S: 'event#' }, ':now': { N: '5' } },
    }],
    ['a key condition turned round', 'query', { KeyConditionExpression: ':pk = pk AND sk >= :from', ExpressionAttributeValues: { ':pk': { S: 'a' }, ':from': { S: 'b' } } }],
    ['a scan filter with redundant parentheses', 'scan', { FilterExpression: '((a = :v))', ExpressionAttributeValues: { ':v': { S: 'x' } } }],
  ] as const)('%s', (_name, operation, fields) => {
    const target = operation === 'updateItem' || operation === 'deleteItem' ? { Key: key } : {};
    expectSameAsDynalite(operation, { TableName: 'corral', ...target, ...fields });
  });

  test.each([
    ['ADD of a number, then of a string', 'ADD a :v', [{ N: '1' }, { S: 'x' }]],
    ['list_append of a list, then of a map', 'SET a = list_append(a, :v)', [{ L: [] }, { M: {} }]],
    ['BETWEEN in order, then the wrong way round', 'SET b = :v', [{ S: 'a' }, { S: 'b' }], 'a BETWEEN :v AND :w', [{ S: 'b' }, { S: 'a' }]],
    ['attribute_type with a type name, then with a wrong one', 'SET a = :v', [{ S: 'x' }, { S: 'y' }], 'attribute_type(a, :w)', [{ S: 'N' }, { S: 'Q' }]],
  ] as const)('the same expression with other values: %s', (_name, update, values, condition?: string, conditionValues?: readonly object[]) => {
    values.forEach((value, i) => {
      expectSameAsDynalite('updateItem', {
        TableName: 'corral', Key: key, UpdateExpression: update,
        ...(condition ? { ConditionExpression: condition } : {}),
        ExpressionAttributeValues: { ':v': value, ...(conditionValues ? { ':w': conditionValues[i] } : {}) },
      });
    });
  });

  test('for generated conditions and updates over values of every type, present or not', () => {
    const types = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'L', 'M'] as const;
    const sample = { S: 'x', N: '1', B: 'AA==', BOOL: true, NULL: true, SS: ['a'], NS: ['1'], L: [{ S: 'a' }], M: { a: { S: 'b' } } };
    const value = fc.constantFrom(...types).map((type) => ({ [type]: sample[type] }));
    const path = fc.constantFrom('a', '#a', 'a.b', 'l[0]', '#b.c', 'status', '#missing');
    const operand = fc.oneof(path, fc.constantFrom(':v0', ':v1', ':v2', ':unset'), path.map((p) => `size(${p})`));
    const comparison = fc.tuple(operand, fc.constantFrom('=', '<>', '<', '<=', '>', '>='), operand).map(([x, op, y]) => `${x} ${op} ${y}`);
    const fn = fc.tuple(fc.constantFrom('attribute_exists', 'attribute_not_exists', 'begins_with', 'contains', 'size'), path, operand)
      .map(([name, p, o]) => (name.startsWith('attribute_') ? `${name}(${p})` : `${name}(${p}, ${o})`));
    const condition = fc.array(fc.oneof(comparison, fn, fc.tuple(operand, operand).map(([x, y]) => `${x} IN (${y}, :v0)`)), { minLength: 1, maxLength: 3 })
      .chain((parts) => fc.constantFrom(' AND ', ' OR ').map((joiner) => parts.join(joiner)));
    const setAction = fc.tuple(path, fc.oneof(operand, fc.tuple(operand, operand).map(([x, y]) => `${x} + ${y}`), operand.map((o) => `list_append(l, ${o})`), operand.map((o) => `if_not_exists(a, ${o})`)))
      .map(([p, v]) => `${p} = ${v}`);
    const update = fc.record({
      set: fc.array(setAction, { maxLength: 2 }),
      add: fc.option(fc.tuple(path, operand).map(([p, o]) => `ADD ${p} ${o}`)),
      remove: fc.option(path.map((p) => `REMOVE ${p}`)),
    }).map(({ set, add, remove }) => [set.length ? `SET ${set.join(', ')}` : '', add ?? '', remove ?? ''].join(' ').trim());
    const request = fc.record({
      condition: fc.option(condition, { nil: undefined }),
      update: fc.option(update, { nil: undefined }),
      values: fc.array(value, { minLength: 0, maxLength: 3 }),
      otherValues: fc.array(value, { minLength: 0, maxLength: 3 }),
      names: fc.subarray(['#a', '#b', '#unused']),
    });
    fc.assert(
      fc.property(request, ({ condition, update, values, otherValues, names }) => {
        // The same expressions with two sets of values: the second may find the first's parse cached.
        for (const valueSet of [values, otherValues]) {
          const fields: Record<string, unknown> = { TableName: 'corral', Key: key };
          if (condition !== undefined) fields.ConditionExpression = condition;
          if (update !== undefined && update !== '') fields.UpdateExpression = update;
          if (valueSet.length) fields.ExpressionAttributeValues = Object.fromEntries(valueSet.map((v, i) => [`:v${i}`, v]));
          if (names.length) fields.ExpressionAttributeNames = Object.fromEntries(names.map((n) => [n, n.slice(1).toUpperCase()]));
          expectSameAsDynalite('updateItem', fields);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('a cached parse carries its own request\'s values, and a change to one answer leaves the next alone', () => {
    const request = (expiresAt: string) => ({
      TableName: 'corral', Key: key, UpdateExpression: 'SET expiresAt = :e', ExpressionAttributeValues: { ':e': { N: expiresAt } },
    });
    const first = validate(cached, 'updateItem', request('1')) as { _updates: { sections: { val: unknown }[] } };
    first._updates.sections[0].val = 'changed by the action';
    const second = validate(cached, 'updateItem', request('2')) as { _updates: { sections: { val: unknown }[] } };
    expect(second._updates.sections[0].val).toEqual({ N: '2' });
  });
});
