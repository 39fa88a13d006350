import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// On-demand Element Plus: unplugin-vue-components sees each <el-*> tag a template uses and
// imports that component and its own stylesheet, nothing else (the recommended way in
// Element Plus's docs). Hand-written per-component imports would do the same but must list
// each component's style by hand, and a forgotten one shows up only as an unstyled screen.
export default defineConfig({
  plugins: [
    vue(),
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'src/components.d.ts',
    }),
  ],
  build: {
    // DOSSIER_CONSOLE_OUT: the tests build into the build folder, not into the source tree.
    outDir: process.env.DOSSIER_CONSOLE_OUT || 'dist',
    emptyOutDir: true,
    // No inline <script> or data: modules: the server's CSP allows only 'self'.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev`: the API of a server started with scripts/run.sh.
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
})
