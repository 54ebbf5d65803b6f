import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Built into web/dist, which `sscard serve --web web/dist` serves itself (no CDN).
export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { environment: 'jsdom', include: ['tests/**/*.test.ts'] },
})
