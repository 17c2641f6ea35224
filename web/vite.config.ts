import { defineConfig } from 'vitest/config';

// `npm run dev` proxies the API to a running `tilsyn serve` (TILSYN_API, default port 8080), so the
// UI can be developed against real data; the build is served by `tilsyn serve --web-root`.
const api = process.env.TILSYN_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Chart.js alone is ~200 kB; the budget that matters is the 1-second page.
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': api,
      '/healthz': api,
      '/calendar': api,
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
