import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));
// The API server in development; `API_TARGET` points the proxy elsewhere (another port, a mock).
const apiTarget = process.env.API_TARGET ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    // The phone form (/report) as an installable web app that opens without a network: Workbox precaches the
    // app shell, and keeps the last answers the form needs (who is signed in, towns and villages, rounds) for
    // when the phone has no signal. Reports written offline wait in IndexedDB (features/report/outbox.ts).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        id: '/report',
        name: '澧县矛盾纠纷排查上报',
        short_name: '排查上报',
        description: '澧县警司联调：村（社区）矛盾纠纷排查上报，无网络时先存在手机上',
        lang: 'zh-CN',
        start_url: '/report',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#0b2545',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // MapLibre is one chunk of ~1 MB (see chunkSizeWarningLimit).
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/(api|docs|ogc|tiles)(\/|$)/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // What the form reads: network first (fresh when online), the last answer when offline.
            urlPattern: ({ url, sameOrigin }) =>
              sameOrigin &&
              (/^\/api\/(auth\/me|config|admin-units|screening-rounds)(\/|$)/.test(url.pathname) ||
                url.pathname === '/api/auth/session'),
            handler: 'NetworkFirst',
            method: 'GET',
            options: {
              cacheName: 'report-data',
              networkTimeoutSeconds: 8,
              expiration: { maxEntries: 200, maxAgeSeconds: 30 * 24 * 3600 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // MapLibre alone is ~1 MB minified; it is one chunk by design.
    chunkSizeWarningLimit: 1600,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': apiTarget,
      '/docs': apiTarget,
      '/tiles': apiTarget,
    },
  },
  preview: { port: 4173 },
});
