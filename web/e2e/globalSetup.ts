// Starts the real server for the browser tests: the dossier binary (DOSSIER_BINARY) on
// 127.0.0.1 with a free port, SQLite in a fresh temporary data directory, the console built
// into DOSSIER_CONSOLE_DIR. Its address goes to the tests as DOSSIER_WEB_BASE_URL; the
// returned teardown stops it (by its own pid) and removes the directory. The staff accounts of
// e2e/support.ts (reviewer, organizer, evaluator) are made first with `dossier account create`,
// as an operator would on the server's machine.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { STAFF, STAFF_PASSWORD } from './support'

export default async function globalSetup(): Promise<() => Promise<void>> {
  const binary = process.env.DOSSIER_BINARY || resolve('../build/test/dossier')
  const consoleDir = process.env.DOSSIER_CONSOLE_DIR || resolve('dist')
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-web-'))
  const env = {
    ...process.env,
    DOSSIER_LISTEN: '127.0.0.1:0',
    DOSSIER_DATA_DIR: dataDir,
    DOSSIER_CONSOLE_DIR: consoleDir,
    DOSSIER_TEMPLATES_DIR: resolve('../templates'),
    // Test speed only: the production cost is 600,000 rounds (~0.3 s a sign-in).
    DOSSIER_AUTH_PASSWORD_ITERATIONS: '1000',
    DOSSIER_CHECK_WORKERS: '1',
    DOSSIER_THROTTLE_PER_MINUTE: '0',
    DOSSIER_LOG_LEVEL: 'warning',
    OMP_THREAD_LIMIT: '1',
  }
  let phone = 13900000001
  for (const [role, who] of Object.entries(STAFF)) {
    const made = spawnSync(
      binary,
      ['account', 'create', '--role', role, '--username', who.username, '--phone', String(phone++), '--name', who.name],
      { env, input: STAFF_PASSWORD + '\n', encoding: 'utf8' },
    )
    if (made.status !== 0) throw new Error(`dossier account create ${role}: ${made.stderr}`)
  }
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((ready, fail) => {
    let out = ''
    const timer = setTimeout(() => fail(new Error(`dossier did not start: ${out}`)), 30_000)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /dossier listening on (http:\/\/[\d.]+:\d+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        ready(m[1])
      }
    })
    child.on('error', (e) => {
      clearTimeout(timer)
      fail(new Error(`cannot start ${binary}: ${e.message}`))
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`dossier exited with ${code}: ${out}`))
    })
  })
  process.env.DOSSIER_WEB_BASE_URL = url
  return async () => {
    const exited = new Promise((done) => child.once('exit', done))
    child.kill('SIGTERM')
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  }
}
