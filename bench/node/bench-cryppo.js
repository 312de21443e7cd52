#!/usr/bin/env node
// bench/node/bench-cryppo.js - the same Cryppo operations through Meeco's
// @meeco/cryppo 2.0.2 (from tests/interop/node_modules), so that
// bench/run-cryppo.sh can report C/JS ratios.
//
//   node bench-cryppo.js [SECONDS_PER_CASE]     default 1.0
//
// Prints a table and "#R" lines in the format of bench-cryppo.
'use strict';

const crypto = require('crypto');
const path = require('path');
const cryppo = require(path.join(__dirname, '../../tests/interop/node_modules/@meeco/cryppo'));

const SECONDS = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 1.0;
const SIZES = [100, 4096, 1048576];
const AES = cryppo.CipherStrategy.AES_GCM;

async function measure(op, len) {
  const start = process.hrtime.bigint();
  let n = 0;
  let elapsed;
  do {
    await op();
    n++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < SECONDS || n < 3);
  const ops = n / elapsed;
  return { ops, mbs: (ops * len) / 1e6 };
}

function label(len) {
  if (len >= 1048576) return `${len / 1048576} MiB`;
  if (len >= 1024) return `${len / 1024} KiB`;
  return `${len} B`;
}

async function main() {
  console.log(`@meeco/cryppo ${require(path.join(__dirname,
    '../../tests/interop/node_modules/@meeco/cryppo/package.json')).version} on node ${process.version}, ${SECONDS} s per case\n`);
  console.log(`${'size'.padEnd(8)} ${'operation'.padEnd(18)} ${'op/s'.padStart(12)} ${'MB/s'.padStart(10)}`);
  const key = cryppo.EncryptionKey.generateRandom(32);
  for (const len of SIZES) {
    const data = crypto.randomBytes(len);
    const { serialized } = await cryppo.encryptWithKey({ key, data, strategy: AES });
    const cases = [
      ['encrypt', 'encrypt+serialize', () => cryppo.encryptWithKey({ key, data, strategy: AES })],
      ['decrypt', 'parse+decrypt', () => cryppo.decryptWithKey({ serialized, key })],
    ];
    for (const [id, name, op] of cases) {
      const r = await measure(op, len);
      console.log(`${label(len).padEnd(8)} ${name.padEnd(18)} ${r.ops.toFixed(0).padStart(12)} ${r.mbs.toFixed(2).padStart(10)}`);
      console.log(`#R\tjs\t${id}\t${len}\t${r.ops.toFixed(2)}\t${r.mbs.toFixed(4)}\t0\t0`);
    }
  }
  const rounds = 3;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    await cryppo.generateDerivedKey({ passphrase: 'correct horse battery staple',
      useSalt: '52Y2w7NXvFk4zUsVGXaq3ai8xBVNV8FX7aME2Vpz2tH',
      minIterations: 100000, iterationVariance: 0, length: 32 });
  }
  const per = Number(process.hrtime.bigint() - t0) / 1e9 / rounds;
  console.log(`\nPBKDF2-HMAC-SHA256, 100000 iterations, 32 bytes: ${(per * 1e3).toFixed(1)} ms`);
  console.log(`#R\tjs\tpbkdf2\t100000\t${(1 / per).toFixed(3)}\t0\t0\t0`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
