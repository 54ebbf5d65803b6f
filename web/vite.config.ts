import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

// Vant's stylesheet carries its icon font as a data: URI, falling back on a CDN
// (at.alicdn.com). The build emits the font as a file of its own under /assets/ and drops the
// CDN, so the portal loads nothing from elsewhere and a CSP with font-src 'self' holds. In
// development only the CDN fallback goes.
export function vantIconFont(): Plugin {
  let building = false
  return {
    name: 'sscard:vant-icon-font',
    enforce: 'pre',
    configResolved(config) { building = config.command === 'build' },
    transform(code, id) {
      if (!/[\\/]vant[\\/](lib|es)[\\/]index\.css$/.test(id.split('?')[0])) return null
      return code.replace(/@font-face\{[^}]*font-family:\s*vant-icon[^}]*\}/, (face) => {
        const font = face.match(/url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)/)
        if (!font) throw new Error('vant-icon: no embedded woff2 in ' + id)
        let source = `url(data:font/woff2;charset=utf-8;base64,${font[1]}) format("woff2")`
        if (building) {
          const reference = this.emitFile({ type: 'asset', name: 'vant-icon.woff2', source: Buffer.from(font[1], 'base64') })
          source = `url(__VITE_ASSET__${reference}__) format("woff2")`
        }
        // src: url(…) format(…), url(…) format(…), … (the data: URI has semicolons of its own)
        return face.replace(/src:(\s*url\([^)]*\)(\s*format\([^)]*\))?\s*,?)+/, 'src:' + source)
      })
    },
  }
}

// Built into web/dist, which `sscard serve --web web/dist` serves itself (no CDN). Two pages:
// the staff UI (index.html → dist/index.html) and the citizen mobile portal under /m/
// (m/index.html → dist/m/index.html); both share /assets/.
export default defineConfig({
  plugins: [vue(), vantIconFont()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        portal: fileURLToPath(new URL('./m/index.html', import.meta.url)),
      },
      // Code both pages use (Vue, vue-i18n, the card texts) in one chunk of a plain name.
      output: { chunkFileNames: 'assets/shared-[hash].js' },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { environment: 'jsdom', include: ['tests/**/*.test.ts'] },
})
