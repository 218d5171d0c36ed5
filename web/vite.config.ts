import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser app's build. `root` is this folder; the output goes to `dist/web`, which the API
 * serves. `base: './'` keeps every asset URL relative, so the app works under any path prefix.
 * In development (`npx vite --config web/vite.config.ts`), `/api` is proxied to a running Vigil
 * server at VIGIL_API (default http://127.0.0.1:8080).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // MapLibre and the bundled country shapes are large by nature; they load once and are cached.
    chunkSizeWarningLimit: 1600,
    // One page each: the map, the review queue and the dashboard.
    rollupOptions: {
      input: {
        map: fileURLToPath(new URL('./index.html', import.meta.url)),
        review: fileURLToPath(new URL('./review.html', import.meta.url)),
        dashboard: fileURLToPath(new URL('./dashboard.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': process.env['VIGIL_API'] ?? 'http://127.0.0.1:8080' },
  },
});
