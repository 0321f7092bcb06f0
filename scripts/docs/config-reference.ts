import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { z } from 'zod';
import { parseConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';

/**
 * docs/configuration.md, made from the config schema itself: structure, types, bounds and
 * defaults from the zod schema (as JSON Schema), descriptions from the doc comments on its
 * fields (read through the TypeScript checker, which follows them across files), and the
 * environment variables by trying each one the loader names.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
type Node = Record<string, unknown>;

export function configReference(): string {
  const docs = fieldDocs();
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Node;
  const sections: string[] = [];
  for (const [name, node] of Object.entries(schema.properties as Record<string, Node>)) {
    const rows: string[] = [];
    collectRows(node, name, docs, rows, true);
    const intro = [docs.get(name) && oneLine(docs.get(name)!), defaultOf(node) && `Default: ${defaultOf(node)}.`].filter(Boolean).join(' ');
    sections.push(`## \`${name}\`\n\n${intro ? `${intro}\n\n` : ''}| Key | Type | Default | Description |\n| --- | --- | --- | --- |\n${rows.join('\n')}`);
  }
  return `# Configuration reference

<!-- Generated from src/config/schema.ts by \`npm run docs\`; edit the schema's comments, not this file (a test compares them). -->

Moat reads one YAML or JSON file: \`moat serve --config moat.yaml\`. Every key has a default
unless marked **required**; a file may be empty. The whole file is validated at start and every
problem is listed at once. Secrets come from the environment, so the file can be committed.

## Environment variables

| Variable | Sets |
| --- | --- |
${environment().map(([name, sets]) => `| \`${name}\` | ${sets} |`).join('\n')}

${sections.join('\n\n')}
`;
}

function collectRows(node: Node, path: string, docs: Map<string, string>, rows: string[], top = false, required = false): void {
  if (!top) rows.push(`| \`${path}\`${required ? ' **required**' : ''} | ${cell(typeOf(node))} | ${cell(defaultOf(node))} | ${cell(docs.get(path) ?? '')} |`);
  const properties = node.properties as Record<string, Node> | undefined;
  if (properties) {
    const needed = new Set((node.required as string[] | undefined) ?? []);
    for (const [name, child] of Object.entries(properties)) collectRows(child, `${path}.${name}`, docs, rows, false, needed.has(name));
  }
  const values = node.additionalProperties;
  if (values && typeof values === 'object' && hasChildren(values as Node)) collectRows(values as Node, `${path}.<${keyName(node)}>`, docs, rows, true);
  const items = node.items as Node | undefined;
  if (items && hasChildren(items)) collectRows(items, `${path}[]`, docs, rows, true);
  for (const option of (node.anyOf as Node[] | undefined) ?? []) if (hasChildren(option)) collectRows(option, path, docs, rows, true);
}

const hasChildren = (node: Node): boolean => Boolean(node.properties) || Boolean(node.items && hasChildren(node.items as Node));
const keyName = (node: Node): string => ((node.propertyNames as Node | undefined)?.enum ? ((node.propertyNames as Node).enum as string[]).join('|') : 'name');

function typeOf(node: Node): string {
  if ('const' in node) return `\`${JSON.stringify(node.const)}\``;
  if (Array.isArray(node.enum)) return node.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' or ');
  if (Array.isArray(node.anyOf)) return (node.anyOf as Node[]).map(typeOf).join(' or ');
  switch (node.type) {
    case 'array':
      return `list of ${typeOf((node.items as Node | undefined) ?? {})}${typeof node.minItems === 'number' ? ` (at least ${node.minItems})` : ''}`;
    case 'object':
      return node.additionalProperties && typeof node.additionalProperties === 'object' && !node.properties ? `map: ${keyName(node)} to ${typeOf(node.additionalProperties as Node)}` : 'object';
    case 'integer':
    case 'number':
      return `${node.type}${bounds(node)}`;
    case 'string':
      return `string${node.format ? ` (${node.format})` : ''}${node.minLength === 1 ? ', non-empty' : typeof node.minLength === 'number' ? `, at least ${node.minLength} characters` : ''}`;
    default:
      return typeof node.type === 'string' ? node.type : 'any';
  }
}

function bounds(node: Node): string {
  const parts: string[] = [];
  const safe = (value: unknown): value is number => typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER;
  if (safe(node.minimum)) parts.push(`≥ ${node.minimum}`);
  if (safe(node.exclusiveMinimum)) parts.push(`> ${node.exclusiveMinimum}`);
  if (safe(node.maximum)) parts.push(`≤ ${node.maximum}`);
  if (safe(node.exclusiveMaximum)) parts.push(`< ${node.exclusiveMaximum}`);
  return parts.length > 0 ? ` ${parts.join(', ')}` : '';
}

function defaultOf(node: Node): string {
  if (!('default' in node)) return '';
  const value = node.default;
  // A section's `{}` only says "its own defaults apply", which the rows below it show.
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0 && node.properties) return '';
  return `\`${JSON.stringify(value)}\``;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
const cell = (text: string): string => oneLine(text).replace(/\|/g, '\\|');

/** Doc comments of the config's fields by path (`server.port`, `upstreams[].models`, `tiers.<name>.models`). */
function fieldDocs(): Map<string, string> {
  const file = `${ROOT}src/config/schema.ts`;
  const program = ts.createProgram([file], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const config = checker.getExportsOfModule(module).find((symbol) => symbol.name === 'MoatConfig');
  if (!config) throw new Error('src/config/schema.ts no longer exports MoatConfig');
  const docs = new Map<string, string>();
  const walk = (type: ts.Type, path: string, depth: number): void => {
    const t = checker.getNonNullableType(type);
    if (depth > 10) return;
    if (checker.isArrayType(t)) return walk(checker.getTypeArguments(t as ts.TypeReference)[0]!, `${path}[]`, depth + 1);
    if (!(t.flags & ts.TypeFlags.Object)) return;
    const index = t.getStringIndexType();
    if (index) walk(index, `${path}.<name>`, depth + 1);
    for (const property of t.getProperties()) {
      const at = path ? `${path}.${property.name}` : property.name;
      const doc = ts.displayPartsToString(property.getDocumentationComment(checker));
      if (doc) docs.set(at, doc);
      walk(checker.getTypeOfSymbol(property), at, depth + 1);
    }
  };
  walk(checker.getDeclaredTypeOfSymbol(config), '', 0);
  // Keyed maps over a fixed set of names (policy levels) read as <none|watch|...> in the tables.
  for (const [path, doc] of [...docs]) docs.set(path.replace(/\.(none|watch|suspect|high)(?=\.|$)/, '.<none|watch|suspect|high>'), doc);
  return docs;
}

/** Each MOAT_* variable the loader reads, and the key it was seen to set. */
function environment(): [string, string][] {
  const source = readFileSync(`${ROOT}src/config/load.ts`, 'utf8');
  const names = [...new Set(source.match(/MOAT_[A-Z0-9_]*[A-Z0-9]/g) ?? [])];
  const base = { upstreams: [{ name: 'main', baseUrl: 'http://127.0.0.1:1/v1', models: ['*'] }] };
  const before = flatten(parseConfig(base, {}));
  const rows: [string, string][] = [];
  for (const name of names) {
    const variable = name === 'MOAT_UPSTREAM' ? 'MOAT_UPSTREAM_MAIN_API_KEY' : name;
    for (const probe of ['probe-value-0123456789abcdef', 'debug', '/tmp/probe.db']) {
      let after: Map<string, string>;
      try {
        after = flatten(parseConfig(base, { [variable]: probe }));
      } catch {
        continue;
      }
      const changed = [...after].filter(([path, value]) => before.get(path) !== value).map(([path]) => path);
      if (changed.length > 0) {
        rows.push(name === 'MOAT_UPSTREAM' ? ['MOAT_UPSTREAM_<NAME>_API_KEY', '`upstreams[].apiKey` of the upstream named `<name>`'] : [name, changed.map((path) => `\`${path}\``).join(', ')]);
        break;
      }
    }
  }
  return rows;
}

function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) flatten(child, path ? `${path}.${key}` : key, into);
  } else {
    into.set(path, JSON.stringify(value));
  }
  return into;
}
