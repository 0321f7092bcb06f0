/**
 * A value that satisfies a JSON Schema, made up without a model: what the stand-in puts in
 * structured output (response_format json_schema) and in tool-call arguments, so clients
 * that validate the answer against their schema (the AI SDK's generateObject, LangChain's
 * withStructuredOutput) accept it. Covers what schema generators emit: types, required,
 * enum/const, nested objects and arrays, anyOf/oneOf/allOf, $ref into $defs, string formats
 * and numeric bounds. Hostile schemas (cycles, huge minItems) are cut short, never followed.
 */
type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;
const MAX_ITEMS = 8;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

const FORMATS: Record<string, string> = {
  email: 'stand-in@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  'date-time': '2026-01-01T00:00:00.000Z',
  date: '2026-01-01',
  time: '00:00:00',
  duration: 'P1D',
  uuid: '00000000-0000-4000-8000-000000000000',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
};

export function fillSchema(schema: unknown, hint = 'value'): unknown {
  return new Filler(isSchema(schema) ? schema : {}).fill(schema, hint, 0, 0);
}

class Filler {
  constructor(private readonly root: Schema) {}

  fill(node: unknown, hint: string, depth: number, index: number): unknown {
    if (node === true || !isSchema(node)) return this.text({}, hint, index);
    if (depth > MAX_DEPTH) return null;
    if ('const' in node) return node.const;
    if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[index % node.enum.length];
    if (typeof node.$ref === 'string') return this.fill(this.resolve(node.$ref), hint, depth + 1, index);
    const options = (Array.isArray(node.anyOf) && node.anyOf) || (Array.isArray(node.oneOf) && node.oneOf);
    if (options && options.length > 0) {
      // A nullable field's non-null branch shows more of the schema than null does.
      const chosen = options.find((option) => !(isSchema(option) && option.type === 'null')) ?? options[0];
      return this.fill(chosen, hint, depth + 1, index);
    }
    if (Array.isArray(node.allOf) && node.allOf.length > 0) {
      const parts = node.allOf.map((part) => this.fill(part, hint, depth + 1, index));
      return parts.every(isSchema) ? Object.assign({}, ...parts) : parts[0];
    }
    switch (this.typeOf(node)) {
      case 'object':
        return this.object(node, depth);
      case 'array':
        return this.array(node, hint, depth);
      case 'integer':
        return this.number(node, true, index);
      case 'number':
        return this.number(node, false, index);
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        return this.text(node, hint, index);
    }
  }

  private typeOf(node: Schema): string | undefined {
    const type = Array.isArray(node.type) ? (node.type.find((t) => t !== 'null') ?? node.type[0]) : node.type;
    if (typeof type === 'string') return type;
    if (isSchema(node.properties) || isSchema(node.additionalProperties)) return 'object';
    if (node.items !== undefined || Array.isArray(node.prefixItems)) return 'array';
    return undefined;
  }

  private object(node: Schema, depth: number): Record<string, unknown> {
    const properties = isSchema(node.properties) ? node.properties : {};
    const required = new Set(Array.isArray(node.required) ? node.required.filter((name): name is string => typeof name === 'string') : []);
    const result: Record<string, unknown> = {};
    // Deep down (a recursive schema), only what must be there, so the value ends.
    const deep = depth > MAX_DEPTH / 2;
    for (const [name, property] of Object.entries(properties)) {
      if (!deep || required.has(name)) result[name] = this.fill(property, name, depth + 1, 0);
    }
    for (const name of required) if (!(name in result)) result[name] = this.fill(isSchema(node.additionalProperties) ? node.additionalProperties : {}, name, depth + 1, 0);
    const minProperties = Math.min(finite(node.minProperties) ?? 0, MAX_ITEMS);
    for (let i = 0; Object.keys(result).length < minProperties; i++) {
      result[`key_${i}`] = this.fill(isSchema(node.additionalProperties) ? node.additionalProperties : {}, `key_${i}`, depth + 1, i);
    }
    return result;
  }

  private array(node: Schema, hint: string, depth: number): unknown[] {
    const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : [];
    const min = finite(node.minItems) ?? 0;
    const max = finite(node.maxItems) ?? Number.POSITIVE_INFINITY;
    const wanted = depth > MAX_DEPTH / 2 ? min : Math.max(min, prefix.length, 1);
    const count = Math.max(0, Math.min(wanted, max, MAX_ITEMS));
    const items = isSchema(node.items) ? node.items : {};
    return Array.from({ length: count }, (_, i) => this.fill(i < prefix.length ? prefix[i] : items, hint, depth + 1, i));
  }

  private number(node: Schema, integer: boolean, index: number): number {
    const low = finite(node.minimum) ?? finite(node.exclusiveMinimum);
    const high = finite(node.maximum) ?? finite(node.exclusiveMaximum);
    const step = integer ? 1 : 0.5;
    let value = (low ?? 0) + (finite(node.exclusiveMinimum) !== undefined ? step : 0) + (low === undefined ? 1 + index : 0);
    if (high !== undefined) {
      const top = high - (finite(node.exclusiveMaximum) !== undefined ? step : 0);
      if (value > top) value = low === undefined ? top : (low + high) / 2;
    }
    const multiple = finite(node.multipleOf);
    if (multiple !== undefined && multiple > 0) value = Math.ceil(value / multiple) * multiple;
    return integer ? Math.ceil(value) : value;
  }

  private text(node: Schema, hint: string, index: number): string {
    const format = typeof node.format === 'string' ? FORMATS[node.format] : undefined;
    if (format) return format;
    let text = `stand-in ${hint}${index > 0 ? ` ${index + 1}` : ''}`;
    const min = finite(node.minLength) ?? 0;
    const max = finite(node.maxLength);
    if (text.length < min) text = text.padEnd(Math.min(min, 10_000), '.');
    if (max !== undefined && text.length > max) text = text.slice(0, Math.max(0, max));
    return text;
  }

  /** Local references only (`#/$defs/X`, `#/definitions/X`, `#`): a stand-in fetches nothing. */
  private resolve(ref: string): unknown {
    if (!ref.startsWith('#')) return {};
    let node: unknown = this.root;
    for (const raw of ref.slice(1).split('/').filter(Boolean)) {
      const part = safeDecode(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isSchema(node) ? node[part] : Array.isArray(node) ? node[Number(part)] : undefined;
    }
    return node ?? {};
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
