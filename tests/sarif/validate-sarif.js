#!/usr/bin/env node
// Runs `memlint check --format sarif` on several inputs and validates every log against the
// SARIF 2.1.0 JSON schema (the schemastore copy that @microsoft/jest-sarif ships), plus the
// limits GitHub code scanning adds on top of the schema.
//
// Usage: node validate-sarif.js MEMLINT_BINARY SOURCE_DIR
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const Ajv = require('ajv');

const [memlint, sourceDir] = process.argv.slice(2);
if (!memlint || !sourceDir) {
  console.error('usage: node validate-sarif.js MEMLINT_BINARY SOURCE_DIR');
  process.exit(2);
}

const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const ajv = new Ajv({ schemaId: 'auto', allErrors: true, format: 'full', validateSchema: false });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(schema);

// GitHub's documented limits beyond the schema (sarif-support-for-code-scanning).
function githubProblems(log) {
  const problems = [];
  for (const run of log.runs) {
    const driver = run.tool.driver;
    if (!driver.name) problems.push('tool.driver.name is empty');
    const ids = new Set();
    for (const rule of driver.rules || []) {
      ids.add(rule.id);
      for (const key of ['shortDescription', 'fullDescription']) {
        const text = rule[key] && rule[key].text;
        if (!text) problems.push(`${rule.id}: ${key}.text is missing`);
        else if (text.length > 1024) problems.push(`${rule.id}: ${key}.text is over 1024`);
      }
      if (!rule.help || !rule.help.text) problems.push(`${rule.id}: help.text is missing`);
    }
    for (const result of run.results) {
      if (!ids.has(result.ruleId)) problems.push(`result with unknown ruleId ${result.ruleId}`);
      if (!result.message || !result.message.text) problems.push('result without message.text');
      if (!result.locations || result.locations.length < 1 || result.locations.length > 10)
        problems.push(`${result.ruleId}: needs 1 to 10 locations`);
      const fingerprint =
        result.partialFingerprints && result.partialFingerprints.primaryLocationLineHash;
      if (!/^[0-9a-f]{16}:[0-9]+$/.test(fingerprint || ''))
        problems.push(`${result.ruleId}: bad primaryLocationLineHash ${fingerprint}`);
    }
  }
  return problems;
}

let passed = 0;
let failed = 0;

function check(name, args, cwd) {
  const run = spawnSync(memlint, ['check', '--isolated', '--format', 'sarif', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  let problems = [];
  if (run.status !== 0 && run.status !== 1 && run.status !== 2)
    problems.push(`memlint exited with ${run.status} ${run.signal || ''}: ${run.stderr}`);
  let log;
  try {
    log = JSON.parse(run.stdout);
  } catch (e) {
    problems.push(`output is not JSON: ${e.message}`);
  }
  if (log) {
    if (!validate(log))
      problems = problems.concat(
        validate.errors.map((e) => `schema: ${e.dataPath} ${e.message} ${JSON.stringify(e.params)}`));
    problems = problems.concat(githubProblems(log));
    if (log.runs[0].results.length === 0 && name !== 'clean file')
      problems.push('expected some results');
  }
  if (problems.length) {
    failed++;
    console.log(`FAIL ${name}`);
    for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
  } else {
    passed++;
    console.log(`ok   ${name} (${log.runs[0].results.length} results)`);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memlint-sarif-'));
try {
  // Every rule of the corpus: related locations (cycles, single reads), fixes, all families.
  check('corpus, every rule', ['--select', 'ALL', path.join(sourceDir, 'corpus')], sourceDir);
  check('demo app', ['corpus/demo'], sourceDir);

  // Awkward paths and file-level errors.
  const odd = path.join(tmp, 'odd dir#1');
  fs.mkdirSync(odd);
  const code = 'def f(xs):\n    total = sum([x for x in xs])\n    return total\n';
  fs.writeFileSync(path.join(odd, 'spaces and ünïcode %20.py'), code);
  fs.writeFileSync(path.join(odd, 'syntax.py'), 'def f(:\n');
  fs.writeFileSync(path.join(odd, 'latin.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0xe9, 0x0a]));
  fs.writeFileSync(path.join(odd, 'multi.py'), 'def f(xs):\n    return sum([\n        x\n        for x in xs\n    ])\n');
  check('odd paths, relative', ['odd dir#1', 'missing.py'], tmp);
  check('odd paths, absolute', [odd], tmp);

  fs.writeFileSync(path.join(tmp, 'clean.py'), 'def f(xs):\n    return sum(x for x in xs)\n');
  check('clean file', ['clean.py'], tmp);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
