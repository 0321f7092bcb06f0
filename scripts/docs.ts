import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adminOpenApi } from '../src/gateway/admin-openapi.js';
import { configReference } from './docs/config-reference.js';

/** The documents made from code, by path under the repository; `npm run docs` writes them, `--check` only compares. */
export function generatedDocs(): Record<string, string> {
  return {
    'docs/configuration.md': configReference(),
    'docs/admin-openapi.json': `${JSON.stringify(adminOpenApi(), null, 2)}\n`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, text] of Object.entries(generatedDocs())) {
    const current = (() => {
      try {
        return readFileSync(root + path, 'utf8');
      } catch {
        return undefined;
      }
    })();
    if (current === text) continue;
    if (check) {
      stale++;
      console.error(`${path} is stale: run npm run docs`);
    } else {
      writeFileSync(root + path, text);
      console.log(`wrote ${path}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
