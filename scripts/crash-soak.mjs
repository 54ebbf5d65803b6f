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
import { randomUUID } from 'node:crypto'

import { demoHarness, residentApplication } from './harness.mjs'

const [binArgument, engine = 'sqlite', cyclesArgument = '10', writersArgument = '32'] = process.argv.slice(2)
if (!binArgument) {
  console.error('usage: node scripts/crash-soak.mjs PATH/TO/sscard [sqlite|postgresql] [CYCLES] [WRITERS]')
  process.exit(2)
}
const cycles = Math.max(1, Math.min(100000, Number(cyclesArgument) || 10))
const writers = Math.max(1, Math.min(256, Number(writersArgument) || 32))
const harness = demoHarness({ bin: binArgument, engine, label: 'crash', onUnexpectedExit: (message) => fail(message) })
const { send, signIn } = harness

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
await harness.start()
{
  const clerk = await signIn('clerk')
  const applied = await send('POST', '/api/v1/cases', clerk, residentApplication(holder, 'fast'), randomUUID())
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
  await harness.kill()
  await Promise.all(running)

  await harness.start()
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
harness.stop()
const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(`crash soak on ${engine}: ${cycles} kill -9 cycles, ${writers} writers, ${acknowledged.size} acknowledged writes, ` +
            `0 lost, 0 doubled, ${inFlightRetried} in-flight requests with one effect each, audit chain intact (${seconds} s)`)
