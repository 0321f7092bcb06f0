import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The gateway serves this build under /console/ (src/console/console-routes.ts).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  build: { outDir: resolve(import.meta.dirname, '../../../dist/console/web/app'), emptyOutDir: true, chunkSizeWarningLimit: 1200 },
});
