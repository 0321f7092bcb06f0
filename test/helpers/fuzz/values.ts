import type { Rng } from '../../../bench/gen/rng.js';

/** A JSON text nested `depth` levels, written out (JSON.stringify itself overflows past a few thousand). */
export function nestedJson(depth: number, rng: Rng): string {
  const open = rng.chance(0.5) ? '[' : '{"k":';
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + '1' + close.repeat(depth);
}

const STRINGS = ['', ' ', 'x', 'null', 'true', '0', '-1', '\u0000', '\ud800', '\u202e', '<script>', "'; DROP TABLE requests;--", '../../etc/passwd', '%s%n', '\\', '"', 'gpt-4o-mini', 'text-embedding-3-small', 'moat-sk-fake', '\u4e00\u4e01\u4e02'];

/** Raw JSON text of an odd value: every JSON type, edge numbers, long strings, deep nests, marker strings. */
export function oddValue(rng: Rng, hugeChance: number): string {
  switch (rng.int(0, 16 - 1)) {
    case 0:
      return 'null';
    case 1:
      return rng.pick(['true', 'false']);
    case 2:
      return rng.pick(['0', '-1', '1', '1.5', '-0', '1e308', '-1e308', '9007199254740993', '4294967296', '2147483648', '1e-320']);
    case 3:
      return JSON.stringify(rng.pick(STRINGS));
    case 4:
      return rng.chance(hugeChance) ? JSON.stringify('a'.repeat(200_000 + rng.int(0, 400_000 - 1))) : JSON.stringify('w '.repeat(rng.int(0, 3000 - 1)));
    case 5:
      return rng.chance(hugeChance) ? JSON.stringify('\u4e00'.repeat(50_000 + rng.int(0, 200_000 - 1))) : JSON.stringify('\u4e00'.repeat(rng.int(0, 500 - 1)));
    case 6:
      return '[]';
    case 7:
      return '{}';
    case 8:
      return rng.pick(['[null]', '[1,2,3]', '["a",null]', '[[1,2],[3]]', '[{}]', '[{"role":null}]', '[{"role":"user"}]', '[{"role":"user","content":null}]', '[{"role":"user","content":[null,{"type":"text","text":null}]}]']);
    case 9:
      return rng.pick(['{"a":null}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '{"include_usage":"yes"}', '{"50256":-100}', '{"1":"x"}', '{"":""}']);
    case 10:
      return nestedJson(rng.chance(0.3) ? 1000 + rng.int(0, 9000 - 1) : 2 + rng.int(0, 80 - 1), rng);
    case 11:
      return `[${Array.from({ length: rng.int(0, 2000 - 1) }, () => '0').join(',')}]`;
    case 12:
      return JSON.stringify({ type: 'text', text: rng.pick(STRINGS) });
    case 13:
      return `[${Array.from({ length: rng.int(0, 50 - 1) }, () => JSON.stringify({ role: rng.pick(['user', 'system', 'assistant', 'tool', '', 'developer']), content: rng.pick(STRINGS) })).join(',')}]`;
    case 14:
      return JSON.stringify(rng.int(0, 1_000_000 - 1) - 500_000);
    default:
      return JSON.stringify(rng.pick(STRINGS) + 'y'.repeat(rng.int(0, 100 - 1)));
  }
}
