#!/usr/bin/env node
// Race and idempotency harnesses (security issue #12; R-LOSS-1, R-ACCEPT-3, R-BUNDLE-1, API.md
// on Idempotency-Key), against `sscard serve --demo` over HTTP. Two of them, chosen by name:
//
// race — CLIENTS clients (16) at once each take an instant loss case (002014010007,
//   temporary_loss or cancel_loss at random, each with its own Idempotency-Key) on the same
//   issued card, round after round until COUNT races are run. Promised:
//   - every answer is 201 or a clean refusal (4xx application/problem+json with a `code`,
//     e.g. CARD_STATE_CONFLICT): never a 5xx, never a timeout;
//   - an acknowledged case changed the card: the acknowledged operations alternate, so in a
//     round that starts on an issued card the acknowledged temporary_loss outnumber the
//     cancel_loss by 0 or 1 (and the other way round on a lost card) — two acknowledged
//     temporary_loss with no cancel_loss between them are impossible;
//   - after each round the card (GET /cards/{no}) is in a legal status (issued or
//     temporary_loss; the card is never activated), its version grew by the number of
//     acknowledged cases, its history (the entries of `production.timeline` without the
//     "case." prefix, each noted "办件<case_no>") holds exactly one loss/unloss event per
//     acknowledged case, of that case's operation, none for a refused one, alternating from
//     temporary_loss, and the status is what the last of them implies;
//   - at the end the loss cases on the server (GET /cases?item=002014010007) are exactly the
//     acknowledged ones: a refusal leaves no case behind.
//
// storm — for each creating route with an Idempotency-Key (POST /cases with an instant
//   status query, POST /bundles with one status-query item), the same request with the same
//   key COUNT times one after another, then COUNT times at once (waves of at most 64 in
//   flight), both for the key already used and for a fresh one. Promised:
//   - every answer is 201 and names the same case (bundle) number; all but the very first
//     carry `Idempotent-Replayed: true`;
//   - exactly one effect per key: the server holds one more status-query case per key
//     (a bundle's item is a case too), whatever the number of retries;
//   - the same body with a different key makes a new one;
//   - the same key with a different body is refused (422 IDEMPOTENCY_KEY_REUSED), and the
//     key still answers its first request afterwards.
//
// Prints its figures; exits non-zero on the first broken promise.
//
//   node scripts/race-soak.mjs PATH/TO/sscard race|storm [sqlite|postgresql] [COUNT] [CLIENTS]
//
// COUNT: races (rounds × clients) for race, 200 by default; requests per route and phase for
// storm, 200 by default. `make test` runs 200 of each on each engine (ctest race_soak_*,
// idempotency_storm_*); `make soak` (scripts/soak.sh) runs 10 000 races and 1 000 per route.
// PostgreSQL needs SSCARD_TEST_PG_URL (scripts/test.sh and scripts/pg-cluster.sh set it);
// without it the PostgreSQL run prints "skipped:".
import { randomUUID } from 'node:crypto'

import { demoHarness, residentApplication } from './harness.mjs'

const [binArgument, mode, engine = 'sqlite', countArgument = '200', clientsArgument = '16'] = process.argv.slice(2)
if (!binArgument || (mode !== 'race' && mode !== 'storm')) {
  console.error('usage: node scripts/race-soak.mjs PATH/TO/sscard race|storm [sqlite|postgresql] [COUNT] [CLIENTS]')
  process.exit(2)
}
const count = Math.max(1, Math.min(1000000, Number(countArgument) || 200))
const clients = Math.max(2, Math.min(256, Number(clientsArgument) || 16))
const WAVE = 64  // the storm's requests in flight at once, at most
const harness = demoHarness({ bin: binArgument, engine, label: mode, onUnexpectedExit: (message) => fail(message) })
const { send, signIn } = harness

// The same, but a network failure or a timeout is an answer too (status 0), for the checks.
async function attempt(method, path, token, body, key) {
  try {
    return await send(method, path, token, body, key)
  } catch (error) {
    return { status: 0, type: '', json: null, text: String(error?.cause?.code ?? error?.name ?? error), replayed: false }
  }
}
function fail(message) {
  console.error(`${mode} soak: ` + message)
  process.exit(1)
}
// A clean refusal: a 4xx problem+json answer with a code.
function isCleanRefusal(answer) {
  return answer.status >= 400 && answer.status < 500 && answer.type.startsWith('application/problem+json') &&
         typeof answer.json?.code === 'string' && answer.json.code !== ''
}
function show(answer) {
  return `${answer.status} ${answer.text.slice(0, 600)}`
}

// The numbers of the cases of one catalog item on the server (every page; bounded).
async function caseNumbers(token, item) {
  const numbers = []
  let cursor = ''
  for (let page = 0; page < 10000; page++) {
    const answer = await send('GET', `/api/v1/cases?item=${item}&limit=500${cursor ? '&cursor=' + cursor : ''}`, token)
    if (answer.status !== 200) fail(`listing the cases of ${item}: ${show(answer)}`)
    for (const record of answer.json.items) numbers.push(record.case_no)
    if (!answer.json.next_cursor) return numbers
    cursor = encodeURIComponent(answer.json.next_cursor)
  }
  fail('listing the cases did not end after 10 000 pages')
}

const started = Date.now()
await harness.start()

// ---------------------------------------------------------------------------------------
// race
// ---------------------------------------------------------------------------------------
async function race() {
  // The demo's resident 王芳 applies (the police photo from the shared data), the reviewer
  // approves, the clerk makes the card on the spot and hands it over: an issued card.
  const holder = { id_type: 'resident_id', id_number: '420115199205120022', name: '王芳', phone: '13900000001',
                   household_address: '武汉市江夏区纸坊街1号' }
  let clerk = await signIn('clerk')
  const applied = await send('POST', '/api/v1/cases', clerk, residentApplication(holder, 'instant'), randomUUID())
  if (applied.status !== 201) fail('the setup application: ' + show(applied))
  const caseNo = applied.json.case_no
  const approved = await send('POST', `/api/v1/cases/${caseNo}/review`, await signIn('reviewer'), { decision: 'approve' })
  if (approved.status !== 200 || !approved.json.card_no) fail('the setup approval: ' + show(approved))
  const cardNo = approved.json.card_no
  const made = await send('POST', '/api/v1/production/instant', clerk, { case_no: caseNo })
  if (made.status !== 200) fail('the setup instant production: ' + show(made))
  const issued = await send('POST', `/api/v1/cards/${cardNo}/issue`, clerk, { read_check: 'pass' })
  if (issued.status !== 200) fail('the setup hand-over: ' + show(issued))
  const first = await send('GET', '/api/v1/cards/' + cardNo, clerk)
  if (first.status !== 200 || first.json.status !== 'issued') fail('the setup card is not issued: ' + show(first))
  const baseVersion = first.json.version

  const lossBody = (operation) => ({
    item: '002014010007', operation, channel: 'window',
    applicant: { id_type: holder.id_type, id_number: holder.id_number, name: holder.name },
    materials: [{ name: '中华人民共和国社会保障卡', kind: 'paper' }, { name: '居民身份证或其他有效身份证件', kind: 'paper' }],
  })
  const LEGAL = new Set(['issued', 'temporary_loss'])  // never activated: cancel_loss restores issued
  const LOSS_EVENTS = new Set(['temporary_loss', 'cancel_loss', 'formal_loss'])
  const acked = new Map()  // case number → operation, every acknowledged loss case
  const refusals = new Map()  // code → how many
  let status = 'issued'
  let races = 0
  let roundsRun = 0
  let maxAckedInRound = 0
  const rounds = Math.ceil(count / clients)
  for (let round = 1; round <= rounds; round++) {
    if (round % 50 === 0) clerk = await signIn('clerk')
    const width = Math.min(clients, count - races)
    const asked = Array.from({ length: width }, () => (Math.random() < 0.5 ? 'temporary_loss' : 'cancel_loss'))
    // All at once: each client its own key, the same card.
    const answers = await Promise.all(asked.map((operation) =>
      attempt('POST', '/api/v1/cases', clerk, lossBody(operation), randomUUID())))
    races += width
    roundsRun = round
    let lost = 0
    let lifted = 0
    for (let index = 0; index < width; index++) {
      const answer = answers[index]
      const operation = asked[index]
      if (answer.status === 201) {
        const number = answer.json?.case_no
        if (!number || answer.json.operation !== operation || answer.json.status !== 'completed') {
          fail(`round ${round}: an acknowledged ${operation} answered ${show(answer)}`)
        }
        if (acked.has(number)) fail(`round ${round}: two requests with their own keys were answered case ${number}`)
        acked.set(number, operation)
        if (operation === 'temporary_loss') lost++
        else lifted++
      } else if (isCleanRefusal(answer)) {
        refusals.set(answer.json.code, (refusals.get(answer.json.code) ?? 0) + 1)
      } else {
        fail(`round ${round}: ${operation} on card ${cardNo} (status ${status} before the round) answered ` +
             `${answer.status === 0 ? 'nothing (' + answer.text + ')' : show(answer)}; ` +
             `body ${JSON.stringify(lossBody(operation))}`)
      }
    }
    maxAckedInRound = Math.max(maxAckedInRound, lost + lifted)
    // Alternation, from the answers alone: an acknowledged operation changed the state.
    const surplus = status === 'issued' ? lost - lifted : lifted - lost
    if (surplus !== 0 && surplus !== 1) {
      fail(`round ${round}: from ${status}, ${lost} temporary_loss and ${lifted} cancel_loss were acknowledged ` +
           `at once — two of one kind with none of the other between them`)
    }
    const expected = surplus === 1 ? (status === 'issued' ? 'temporary_loss' : 'issued') : status

    const card = await send('GET', '/api/v1/cards/' + cardNo, clerk)
    if (card.status !== 200) fail(`round ${round}: reading card ${cardNo}: ${show(card)}`)
    if (!LEGAL.has(card.json.status)) fail(`round ${round}: card ${cardNo} is in status ${card.json.status}`)
    if (card.json.status !== expected) {
      fail(`round ${round}: card ${cardNo} is ${card.json.status}; from ${status} with ${lost} temporary_loss and ` +
           `${lifted} cancel_loss acknowledged it should be ${expected}`)
    }
    if (card.json.version !== baseVersion + acked.size) {
      fail(`round ${round}: card ${cardNo} is at version ${card.json.version}, ${card.json.version - baseVersion} ` +
           `changes for ${acked.size} acknowledged cases`)
    }
    // The card's own history: one event per acknowledged case, none for a refusal.
    const timeline = card.json.history ?? card.json.production?.timeline ?? card.json.timeline
    if (!Array.isArray(timeline)) fail(`round ${round}: card ${cardNo} has no history: ${show(card)}`)
    const events = timeline.filter((entry) => LOSS_EVENTS.has(entry.event))
    if (events.length !== acked.size) {
      fail(`round ${round}: card ${cardNo} has ${events.length} loss/unloss events for ${acked.size} acknowledged cases`)
    }
    const seen = new Set()
    for (let index = 0; index < events.length; index++) {
      const event = events[index]
      const number = /办件(\S+)/.exec(event.note ?? '')?.[1]
      if (!number || !acked.has(number)) fail(`round ${round}: a ${event.event} event of no acknowledged case: ${JSON.stringify(event)}`)
      if (seen.has(number)) fail(`round ${round}: case ${number} changed the card twice`)
      seen.add(number)
      if (acked.get(number) !== event.event) fail(`round ${round}: case ${number} (${acked.get(number)}) logged ${event.event}`)
      const due = index % 2 === 0 ? 'temporary_loss' : 'cancel_loss'
      if (event.event !== due) {
        const around = events.slice(Math.max(0, index - 2), index + 2).map((e) => `${e.at} ${e.event} ${e.note}`)
        fail(`round ${round}: history event ${index + 1} of card ${cardNo} is ${event.event} where ${due} was due ` +
             `(the history must alternate; the card's status ${card.json.status} and version ${card.json.version} ` +
             `agree with the ${acked.size} acknowledged cases, the order of its history does not):\n  ${around.join('\n  ')}`)
      }
    }
    const implied = events.length === 0 || events.at(-1).event === 'cancel_loss' ? 'issued' : 'temporary_loss'
    if (card.json.status !== implied) {
      fail(`round ${round}: card ${cardNo} is ${card.json.status} but its last history event implies ${implied}`)
    }
    status = card.json.status
    if (round % 100 === 0 || round === rounds) {
      console.log(`round ${round}/${rounds}: ${races} races, ${acked.size} acknowledged, card ${status}`)
    }
  }
  // A refused request left no case: the server's loss cases are the acknowledged ones.
  const numbers = await caseNumbers(clerk, '002014010007')
  const extra = numbers.filter((number) => !acked.has(number))
  if (numbers.length !== acked.size || extra.length) {
    fail(`the server holds ${numbers.length} loss cases for ${acked.size} acknowledged (not acknowledged: ${extra.slice(0, 5).join(', ')})`)
  }
  const lostCount = [...acked.values()].filter((operation) => operation === 'temporary_loss').length
  const refused = [...refusals].map(([code, times]) => `${code} ${times}`).join(', ') || 'none'
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`race soak on ${engine}: ${races} races in ${roundsRun} rounds of ${clients} clients on card ${cardNo}, ` +
              `${acked.size} acknowledged (${lostCount} temporary_loss, ${acked.size - lostCount} cancel_loss, ` +
              `at most ${maxAckedInRound} in one round), refused: ${refused}; 0 5xx, 0 timeouts, history alternating ` +
              `with one event per acknowledged case, card ${status} (${seconds} s)`)
}

// ---------------------------------------------------------------------------------------
// storm
// ---------------------------------------------------------------------------------------
async function storm() {
  // The demo's resident 陈立新: an application (the police photo from the shared data) makes
  // the person; the storm then asks for status queries for them, alone and as a bundle.
  const holder = { id_type: 'resident_id', id_number: '420115197809230012', name: '陈立新', phone: '13900000003',
                   household_address: '武汉市江夏区纸坊街3号' }
  let clerk = await signIn('clerk')
  const applied = await send('POST', '/api/v1/cases', clerk, residentApplication(holder, 'fast'), randomUUID())
  if (applied.status !== 201) fail('the setup application: ' + show(applied))
  const materials = [{ name: '居民身份证或其他有效身份证件', kind: 'paper' }, { name: '中华人民共和国社会保障卡', kind: 'paper' }]
  const routes = [
    { name: 'POST /api/v1/cases', path: '/api/v1/cases', numberOf: (json) => json?.case_no,
      body: { item: '002014010003', operation: 'query', channel: 'window', applicant: holder, materials } },
    { name: 'POST /api/v1/bundles', path: '/api/v1/bundles', numberOf: (json) => json?.bundle_no,
      body: { notice_accepted: true, channel: 'window', applicant: holder,
              items: [{ item: '002014010003', operation: 'query' }], materials } },
  ]
  const figures = []
  for (const route of routes) {
    const text = JSON.stringify(route.body)
    // Another body: the same request with its materials in the other order.
    const otherText = JSON.stringify({ ...route.body, materials: [...materials].reverse() })
    const casesBefore = (await caseNumbers(clerk, '002014010003')).length
    let answers = 0
    let replays = 0
    // One answer of the storm: 201, the key's number, replayed unless it is the first.
    const check = (answer, phase, key, number) => {
      answers++
      if (answer.status !== 201) {
        fail(`${route.name}, ${phase}: the same request with key ${key} answered ` +
             `${answer.status === 0 ? 'nothing (' + answer.text + ')' : show(answer)}; body ${text}`)
      }
      const got = route.numberOf(answer.json)
      if (number !== undefined && got !== number) {
        fail(`${route.name}, ${phase}: key ${key} answered ${got} after ${number} — two effects of one request`)
      }
      if (answer.replayed) replays++
      return got
    }
    // Sequential: the first creates, every retry replays it.
    const key = randomUUID()
    const created = await attempt('POST', route.path, clerk, text, key)
    const number = check(created, 'the first request', key)
    if (!number || created.replayed) fail(`${route.name}: the first request answered ${show(created)} replayed=${created.replayed}`)
    for (let index = 1; index < count; index++) {
      const again = await attempt('POST', route.path, clerk, text, key)
      check(again, `sequential retry ${index}`, key, number)
      if (!again.replayed) fail(`${route.name}: sequential retry ${index} of ${number} is not marked Idempotent-Replayed`)
    }
    // Concurrent, the same key: all replays of the first.
    for (let sent = 0; sent < count; sent += WAVE) {
      const wave = await Promise.all(Array.from({ length: Math.min(WAVE, count - sent) },
                                                () => attempt('POST', route.path, clerk, text, key)))
      for (const answer of wave) {
        check(answer, 'concurrent retry', key, number)
        if (!answer.replayed) fail(`${route.name}: a concurrent retry of ${number} is not marked Idempotent-Replayed`)
      }
    }
    // Concurrent, a fresh key: the first requests race; one creates, the others replay it.
    const raceKey = randomUUID()
    let raced
    let unreplayed = 0
    for (let sent = 0; sent < count; sent += WAVE) {
      const wave = await Promise.all(Array.from({ length: Math.min(WAVE, count - sent) },
                                                () => attempt('POST', route.path, clerk, text, raceKey)))
      for (const answer of wave) {
        raced = check(answer, 'concurrent first requests', raceKey, raced)
        if (!answer.replayed) unreplayed++
      }
    }
    if (unreplayed !== 1) fail(`${route.name}: ${unreplayed} of ${count} concurrent first requests with one key were not replays (1 expected)`)
    if (raced === number) fail(`${route.name}: two keys answered the same ${number}`)
    // The same body with another key: a new one.
    const other = await attempt('POST', route.path, clerk, text, randomUUID())
    const otherNumber = route.numberOf(other.json)
    if (other.status !== 201 || other.replayed || !otherNumber || otherNumber === number || otherNumber === raced) {
      fail(`${route.name}: the same body with a new key answered ${show(other)} replayed=${other.replayed} (a new one expected)`)
    }
    // The same key with another body: refused, and the key still answers its first request.
    const reused = await attempt('POST', route.path, clerk, otherText, key)
    if (reused.status !== 422 || !isCleanRefusal(reused) || reused.json.code !== 'IDEMPOTENCY_KEY_REUSED') {
      fail(`${route.name}: key ${key} with another body (${otherText}) answered ${show(reused)} (422 IDEMPOTENCY_KEY_REUSED expected)`)
    }
    const still = await attempt('POST', route.path, clerk, text, key)
    check(still, 'after the refused body', key, number)
    if (!still.replayed) fail(`${route.name}: after the refused body, key ${key} no longer replays ${number}`)
    // One effect per key: three keys, three more status-query cases (a bundle item is a case).
    const casesAfter = (await caseNumbers(clerk, '002014010003')).length
    if (casesAfter - casesBefore !== 3) {
      fail(`${route.name}: ${casesAfter - casesBefore} status-query cases were made for 3 keys ` +
           `(${answers} requests with the same body)`)
    }
    if (route.path === '/api/v1/bundles') {
      for (const bundle of [number, raced, otherNumber]) {
        const seen = await send('GET', '/api/v1/bundles/' + bundle, clerk)
        if (seen.status !== 200 || seen.json.items?.length !== 1) fail(`bundle ${bundle}: ${show(seen)}`)
      }
    }
    figures.push(`${route.name}: ${answers} answers, ${replays} replays, 3 keys → ${casesAfter - casesBefore} effects, ` +
                 `reused key refused`)
    console.log(figures.at(-1))
    clerk = await signIn('clerk')
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`idempotency storm on ${engine}: ${count} sequential + ${count} concurrent (waves of ${WAVE}) retries per key ` +
              `and ${count} racing first requests on ${routes.length} routes, one effect per key, ` +
              `a new key a new effect, a reused key with another body refused (${seconds} s)`)
}

try {
  if (mode === 'race') await race()
  else await storm()
} catch (error) {
  fail('the harness stopped: ' + (error?.stack ?? error))
}
harness.stop()
