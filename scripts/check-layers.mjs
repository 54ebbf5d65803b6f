#!/usr/bin/env node
// The layering the docs claim (docs/architecture.md), checked on every #include of src/:
//   common ← domain ← app ← api ← apps, with storage and infra beside app (they implement the
//   domain's ports and see only domain and common); apps composes everything.
// And the build-time rule: Boost.Beast (a heavy header) only in the few translation units
// that talk HTTP on a socket. A wrong include compiles (src/ is one include directory), so
// this test is what keeps the arrows pointing one way. Exits 1 naming each offending line.
//   node scripts/check-layers.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const root = resolve(new URL('..', import.meta.url).pathname)
const src = join(root, 'src')
const allowed = {
  common: ['common'],
  domain: ['domain', 'common'],
  app: ['app', 'domain', 'common'],
  api: ['api', 'app', 'domain', 'common'],
  storage: ['storage', 'domain', 'common'],
  infra: ['infra', 'domain', 'common'],
  apps: ['apps', 'api', 'app', 'storage', 'infra', 'domain', 'common'],
}
const beastAllowed = new Set(['src/api/http/server.cc', 'src/apps/http_text_sender.cc'])

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* files(path)
    else if (/\.(cc|h)$/.test(name)) yield path
  }
}

const problems = []
let checked = 0
for (const path of files(src)) {
  const file = relative(root, path)
  const layer = relative(src, path).split('/')[0]
  const may = allowed[layer]
  if (!may) {
    problems.push(`${file}: folder src/${layer} is in no layer (add it to scripts/check-layers.mjs and docs/architecture.md)`)
    continue
  }
  readFileSync(path, 'utf8').split('\n').forEach((line, index) => {
    const project = line.match(/^\s*#\s*include\s+"([a-z_]+)\//)
    if (project && !may.includes(project[1])) {
      problems.push(`${file}:${index + 1}: src/${layer} includes ${project[1]}/ (a layer it may not see: ${may.join(', ')})`)
    }
    if (/^\s*#\s*include\s+<boost\/beast/.test(line) && !beastAllowed.has(file)) {
      problems.push(`${file}:${index + 1}: Boost.Beast outside the HTTP socket units (${[...beastAllowed].join(', ')})`)
    }
    checked += project ? 1 : 0
  })
}
if (problems.length) {
  console.error(problems.join('\n'))
  console.error(`layering: ${problems.length} include(s) against the layers`)
  process.exit(1)
}
console.log(`layering: ${checked} project includes in src/ follow the layers; Beast stays in ${beastAllowed.size} files`)
