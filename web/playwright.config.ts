import { defineConfig } from '@playwright/test'

// Debian's Chromium (apt-get install chromium): Playwright cannot download its own browsers
// here. The server is the real dossier binary, started by e2e/globalSetup.ts on SQLite in a
// temporary data directory; artifacts (screenshots, measurements) go to the build folder.
const artifacts = process.env.DOSSIER_WEB_ARTIFACTS || '../build/web'

export default defineConfig({
  testDir: 'e2e',
  outputDir: `${artifacts}/test-results`,
  globalSetup: './e2e/globalSetup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  // The test command runs this beside other tests on a shared machine: patience, not flakes.
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.DOSSIER_CHROMIUM || '/usr/bin/chromium',
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
})
