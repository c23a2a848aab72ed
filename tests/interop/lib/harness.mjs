// Tiny test harness for the interop scripts: named checks that print one line each, a CLI
// runner with a timeout, byte comparisons that name the first differing byte, temp dirs.
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let failures = 0;
let passes = 0;

/** Runs one named check; an exception (e.g. from node:assert) marks it failed. */
export async function check(name, fn) {
  try {
    await fn();
    passes++;
    console.log(`ok   - ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL - ${name}`);
    // The message, then only the test script's own frame (the harness frames add nothing).
    const where = String(e?.stack ?? '').split('\n').find((l) => /test_\w+\.mjs/.test(l));
    const text = `${e?.name ?? 'Error'}: ${e?.message ?? e}` + (where ? `\n${where.trim()}` : '');
    for (const line of text.split('\n')) console.log(`       ${line}`);
  }
}

/** Prints the summary and exits non-zero when any check failed. */
export function finish(script) {
  console.log(`${script}: ${passes} passed, ${failures} failed`);
  process.exitCode = failures === 0 ? 0 : 1;
}

/** The CLI path from argv[2]; exits with usage 2 when missing. */
export function cliPath() {
  const cli = process.argv[2];
  if (!cli || !fs.existsSync(cli)) {
    console.error(`usage: node ${path.basename(process.argv[1])} /path/to/tfjs-model` +
                  (cli ? ` (not found: ${cli})` : ''));
    process.exit(2);
  }
  return path.resolve(cli);
}

/** A fresh temp dir under os.tmpdir(), removed on exit (kept if TFJS_KEEP_TMP is set). */
export function makeTempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tfjs-interop-${prefix}-`));
  process.on('exit', () => {
    if (process.env.TFJS_KEEP_TMP) console.log(`kept ${dir}`);
    else fs.rmSync(dir, {recursive: true, force: true});
  });
  return dir;
}

/** Runs the CLI synchronously (60 s timeout); returns {status, stdout, stderr, cmd}. */
export function runCli(cli, args, {timeout = 60000, cwd = undefined} = {}) {
  const r = spawnSync(cli, args, {encoding: 'utf8', timeout, cwd, maxBuffer: 64 << 20,
                                  env: {...process.env, LC_ALL: 'C.UTF-8'}});
  const cmd = [path.basename(cli), ...args].join(' ');
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return {status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, cmd};
}

/** Describes a finished run for assertion messages. */
export function describeRun(r) {
  return `\`${r.cmd}\` exited ${r.status ?? `by signal ${r.signal}`}` +
         (r.stderr ? `\n--- stderr ---\n${r.stderr.trimEnd()}` : ' (empty stderr)') +
         (r.stdout ? `\n--- stdout (first 2000 chars) ---\n${r.stdout.slice(0, 2000)}` : '');
}

/** Runs the CLI and throws (with its stderr) unless it exits with `status`. */
export function expectCli(cli, args, status = 0, opts = {}) {
  const r = runCli(cli, args, opts);
  if (r.status !== status) throw new Error(`expected exit ${status}: ${describeRun(r)}`);
  return r;
}

/** Throws unless two byte buffers are identical; names the first differing byte. */
export function assertSameBytes(actual, expected, what) {
  if (Buffer.compare(actual, expected) === 0) return;
  const n = Math.min(actual.length, expected.length);
  let i = 0;
  while (i < n && actual[i] === expected[i]) i++;
  let msg = `${what}: differs at byte ${i} (actual ${actual.length} bytes, expected ` +
            `${expected.length} bytes)`;
  if (i < n) {
    msg += `: actual 0x${actual[i].toString(16).padStart(2, '0')}, expected ` +
           `0x${expected[i].toString(16).padStart(2, '0')}`;
  }
  const isText = (b) => !b.subarray(0, 4096).includes(0);
  if (isText(actual) && isText(expected)) {
    const from = Math.max(0, i - 60);
    msg += `\n  actual:   …${actual.subarray(from, i + 60).toString('utf8')}…` +
           `\n  expected: …${expected.subarray(from, i + 60).toString('utf8')}…`;
  }
  throw new Error(msg);
}

/** Compares two files byte for byte (see assertSameBytes). */
export function assertSameFile(actualPath, expectedPath) {
  for (const p of [actualPath, expectedPath]) {
    if (!fs.existsSync(p)) throw new Error(`missing file ${p}`);
  }
  assertSameBytes(fs.readFileSync(actualPath), fs.readFileSync(expectedPath),
                  `${actualPath} vs ${expectedPath}`);
}
