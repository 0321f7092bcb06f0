import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Command } from 'commander';
import { parse } from 'yaml';
import { registerGatewayCommands } from '../src/cli/gateway-commands.js';
import { loadConfigFile } from '../src/config/load.js';
import { ROLES } from '../src/workers/roles.js';

// Issue 14: the Dockerfile and compose file cannot be built here, so everything they name is
// checked against what Moat really has: serve's options and roles, the config the file mounts,
// the MOAT_* variables the config loader reads, the ports that config listens on.

const ROOT = new URL('../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  image?: string;
}
const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const moatServices = Object.entries(compose.services).filter(([, service]) => service.command?.[0] === 'serve');

const program = new Command();
registerGatewayCommands(program);
const serve = program.commands.find((command) => command.name() === 'serve')!;
const flags = new Set(serve.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => flag !== undefined)));

/** `${NAME:-default}` and `${NAME:?message}` as compose would expand them with nothing set. */
const expand = (value: string) => value.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_match, _name: string, fallback: string | undefined) => fallback ?? 'set-by-the-operator-0123456789');
const loaderReads = new Set([...read('src/config/load.ts').matchAll(/env\.(MOAT_[A-Z0-9_]+)|'(MOAT_[A-Z0-9_]+)'/g)].map((m) => m[1] ?? m[2]!));

function checkServe(args: string[], where: string): void {
  assert.equal(args[0], 'serve', `${where}: runs moat serve`);
  for (const arg of args.slice(1)) if (arg.startsWith('-')) assert.ok(flags.has(arg), `${where}: ${arg} is an option of moat serve`);
  const role = args[args.indexOf('--role') + 1];
  assert.ok(role && (ROLES as readonly string[]).includes(role), `${where}: role ${role} exists`);
}

test('compose: every moat service runs a real serve command with a real role, all four roles present', () => {
  assert.ok(moatServices.length >= 6);
  for (const [name, service] of moatServices) checkServe(service.command!, name);
  const roles = new Set(moatServices.map(([, service]) => service.command![service.command!.indexOf('--role') + 1]));
  for (const role of ['gateway', 'ledger', 'detector', 'linkage']) assert.ok(roles.has(role), `a ${role} service`);
  const workers = moatServices.filter(([, s]) => s.command!.includes('detector')).map(([, s]) => s.command!);
  assert.deepEqual(workers.map((c) => c[c.indexOf('--worker') + 1]).sort(), workers.map((_c, i) => String(i)), 'detector workers numbered 0..n-1');
  for (const command of workers) assert.equal(command[command.indexOf('--workers') + 1], String(workers.length));
});

test('compose: every MOAT_* variable is one the config loader reads, and the mounted config parses with them', () => {
  // Without its environment the file is incomplete by design: the store's URL is a secret.
  assert.throws(() => loadConfigFile(`${ROOT}deploy/moat.yaml`, {}), /MOAT_STORE_URL/);
  for (const [name, service] of moatServices) {
    const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, expand(String(value))]));
    for (const key of Object.keys(env).filter((k) => k.startsWith('MOAT_'))) {
      const upstream = /^MOAT_UPSTREAM_([A-Z0-9_]+)_API_KEY$/.exec(key);
      if (upstream) {
        const parsed = loadConfigFile(`${ROOT}deploy/moat.yaml`, env);
        const match = parsed.upstreams.find((u) => u.name.toUpperCase().replace(/[^A-Z0-9]/g, '_') === upstream[1]);
        assert.ok(match?.apiKey, `${name}: ${key} names upstream ${upstream[1]} of the config`);
      } else {
        assert.ok(loaderReads.has(key), `${name}: ${key} is read by the config loader`);
      }
    }
    // The config path in the command is the file the service mounts.
    const path = service.command![service.command!.indexOf('--config') + 1];
    assert.ok(service.volumes?.some((volume) => volume.split(':')[1] === path), `${name}: ${path} is mounted`);
    const parsed = loadConfigFile(`${ROOT}deploy/moat.yaml`, env);
    assert.equal(parsed.store.driver, 'postgres');
    assert.ok(parsed.store.url?.startsWith('postgres://'), `${name}: the store URL comes from MOAT_STORE_URL`);
    assert.deepEqual(parsed.events.nats?.servers, ['nats://nats:4222']);
  }
});

test('compose and Dockerfile: the ports and probe paths are the ones the config listens on', async () => {
  const config = loadConfigFile(`${ROOT}deploy/moat.yaml`, { MOAT_STORE_URL: 'postgres://moat@postgres:5432/moat' });
  for (const [name, service] of moatServices) {
    for (const mapping of service.ports ?? []) assert.equal(Number(mapping.split(':').at(-1)), config.server.port, `${name}: publishes the API port`);
    const probe = service.healthcheck!.test.join(' ');
    const url = /http:\/\/127\.0\.0\.1:(\d+)(\/[a-z]+)/.exec(probe);
    assert.ok(url, `${name}: the health check calls an ops URL`);
    assert.equal(Number(url[1]), config.ops.port, `${name}: on ops.port`);
    assert.equal(url[2], '/readyz');
  }
  assert.ok(read('src/workers/ops-server.ts').includes("path === '/readyz'"), 'the ops server answers /readyz');
  const dockerfile = read('Dockerfile');
  const exposed = /^EXPOSE (.+)$/m.exec(dockerfile)![1]!.split(/\s+/).map(Number).sort();
  assert.deepEqual(exposed, [config.server.port, config.ops.port!].sort());
  const entrypoint = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(dockerfile)![1]!) as string[];
  const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; scripts: Record<string, string> };
  assert.equal(entrypoint[1], pkg.bin.moat, 'the entrypoint is the built CLI');
  assert.ok(pkg.scripts.build, 'the image runs npm run build');
  checkServe(JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[], 'Dockerfile CMD');
});
