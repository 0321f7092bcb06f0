import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { fillSchema } from '../../src/upstream/schema-fill.js';

interface Tree {
  label: string;
  children: Tree[];
}
const tree: z.ZodType<Tree> = z.lazy(() => z.object({ label: z.string(), children: z.array(tree) }));

// Each schema goes through JSON Schema as clients send it; the filled value must pass the original zod schema.
const SCHEMAS: Record<string, z.ZodType> = {
  flat: z.object({ name: z.string(), age: z.number().int(), admin: z.boolean() }),
  enums: z.object({ colour: z.enum(['red', 'green']), kind: z.literal('fixed'), size: z.union([z.literal(1), z.literal(2)]) }),
  nested: z.object({ recipe: z.object({ name: z.string(), ingredients: z.array(z.object({ item: z.string(), grams: z.number().positive() })).min(2), steps: z.array(z.string()) }) }),
  optionalAndNullable: z.object({ note: z.string().optional(), parent: z.string().nullable(), tags: z.array(z.string()).max(0) }),
  bounds: z.object({ percent: z.number().min(10).max(20), above: z.number().gt(100), below: z.number().int().lt(-5), even: z.number().int().multipleOf(4).min(9), short: z.string().min(30).max(40), tiny: z.string().max(3) }),
  formats: z.object({ email: z.email(), url: z.url(), when: z.iso.datetime(), day: z.iso.date(), id: z.uuid(), ip: z.ipv4() }),
  records: z.object({ scores: z.record(z.string(), z.number()) }),
  tuple: z.object({ point: z.tuple([z.number(), z.string()]) }),
  unions: z.object({ value: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]), either: z.string().or(z.number()) }),
  intersections: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })),
  discriminated: z.object({ shape: z.discriminatedUnion('kind', [z.object({ kind: z.literal('circle'), radius: z.number() }), z.object({ kind: z.literal('square'), side: z.number() })]) }),
  recursive: z.object({ root: tree }),
  topLevelArray: z.array(z.object({ n: z.number() })).min(3),
  uniqueEnumItems: z.object({ picks: z.array(z.enum(['a', 'b', 'c'])).min(3).refine((items) => new Set(items).size === items.length) }),
};

for (const [name, schema] of Object.entries(SCHEMAS)) {
  test(`a filled value satisfies its schema: ${name}`, () => {
    const value = fillSchema(z.toJSONSchema(schema, { unrepresentable: 'any' }));
    const result = schema.safeParse(value);
    assert.ok(result.success, `${JSON.stringify(value)}: ${result.success ? '' : result.error.message}`);
  });
}

test('a cycle or a hostile schema ends in a bounded value instead of running away', () => {
  const cyclic = { $defs: { node: { type: 'object', required: ['next'], properties: { next: { $ref: '#/$defs/node' } } } }, $ref: '#/$defs/node' };
  assert.ok(JSON.stringify(fillSchema(cyclic)).length < 2_000);
  const huge = fillSchema({ type: 'array', minItems: 1e9, items: { type: 'string', minLength: 1e12 } }) as string[];
  assert.ok(huge.length <= 8 && huge.every((item) => item.length <= 10_000));
  for (const odd of [null, 7, 'x', [], { type: 42 }, { $ref: 'http://elsewhere/' }, { $ref: '#/nope/%zz' }, { anyOf: [] }]) {
    assert.doesNotThrow(() => JSON.stringify(fillSchema(odd)));
  }
});
