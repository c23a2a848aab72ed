// `tfjs-model serve` as a child process for the interop tests.
import {spawn} from 'node:child_process';
import {expectCli} from './harness.mjs';

/** Starts `CLI serve ARGS`; resolves to {base, stop(): Promise<{code, signal}>, out(), err()}. */
export function startServer(cli, args) {
  const child = spawn(cli, ['serve', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({code, signal})));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^serving (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        resolve({base: m[1], out: () => out, err: () => err,
                 stop: () => { child.kill('SIGTERM'); return exited; }});
      }
    });
    exited.then(({code}) => reject(new Error(`serve exited ${code}:\n${err}`)));
  });
}

/** `CLI list --json` of the indexeddb:// store in `store`, parsed. */
export function listStore(cli, store) {
  return JSON.parse(expectCli(cli, ['list', '--json', '--store', store, 'indexeddb://']).stdout);
}
