import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// One classic script, inlined into each report so a saved report opens without a server.
export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: resolve(import.meta.dirname, '../../../dist/console/web'),
    emptyOutDir: false,
    chunkSizeWarningLimit: 1200,
    lib: { entry: resolve(import.meta.dirname, 'report/report-entry.ts'), formats: ['iife'], name: 'moatReport', fileName: () => 'report.js' },
  },
});
