#!/usr/bin/env node
// tests/interop/cryppo-interop.js - our C Cryppo (through the `cryppo` CLI,
// binary-safe --in/--out files) against Meeco's @meeco/cryppo 2.0.2.
//
//   node cryppo-interop.js PATH/TO/cryppo
//
// Both directions, byte-exact: strings our C code writes are decrypted or
// verified by cryppo-js, and fresh strings cryppo-js writes are decrypted
// or verified by ours.  Covers AES-256-GCM with a key, Pbkdf2Hmac
// passphrase strings, RSA-OAEP and RSA signatures, binary and UTF-8
// (including 4-byte) data from 0 bytes to 1 MiB.  Also checks that our
// artefacts have exactly cryppo-js's BSON layout and that signatures by
// the same key over the same data are identical strings.
//
// Prints one "ok"/"not ok" line per check and "N passed, N failed".
'use strict';

const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const cryppo = require('@meeco/cryppo');

const CLI = process.argv[2];
const SIZES = [0, 1, 2, 15, 16, 17, 100, 1000, 4096, 65535, 65536, 1048576];
const PASSPHRASE_SIZES = [0, 1, 17, 100, 4096, 65536, 1048576];
const RSA_SIZES = [0, 1, 2, 15, 16, 17, 100, 470];
const SIGN_SIZES = [0, 1, 2, 15, 16, 17, 100, 512];
const PASSPHRASE = 'correct horse battery st\u00e4ple \u{1F511}';
const AES = cryppo.CipherStrategy.AES_GCM;

let passed = 0;
let failed = 0;
let skipped = 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cryppo-interop-'));

function ok(cond, name, detail) {
  if (cond) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? ': ' + detail : ''}`);
  }
}

// A check for a known gap in our library (reported, not yet fixed): it is
// reported as skipped while it fails, and passes once the gap is closed.
function okKnownGap(cond, name, detail) {
  if (cond) {
    ok(true, `${name} (known gap now closed)`);
  } else {
    skipped++;
    console.log(`not ok - ${name} # TODO known gap: ${detail}`);
  }
}

// Run the CLI; returns stdout (Buffer).  Throws with stderr on failure.
function cli(args, input) {
  try {
    return execFileSync(CLI, args, {
      input: input === undefined ? '' : input,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e.stderr ? e.stderr.toString().trim() : e.message;
    throw new Error(`cryppo ${args[0]} exit ${e.status}: ${err}`);
  }
}

function file(name, content) {
  const p = path.join(tmp, name);
  if (content !== undefined) fs.writeFileSync(p, content);
  return p;
}

// UTF-8 text of exactly n bytes, mixing 1-, 2-, 3- and 4-byte characters.
function utf8Data(n) {
  const chars = ['a', '\u00e9', '\u20ac', '\u{1F600}', 'Z', '\u0416', '\u6f22', '\u{10348}'];
  let s = '';
  let len = 0;
  for (let i = 0; len < n; i++) {
    let c = chars[i % chars.length];
    if (len + Buffer.byteLength(c) > n) c = 'x';
    s += c;
    len += Buffer.byteLength(c);
  }
  return Buffer.from(s, 'utf8');
}

function dataSets(sizes) {
  const sets = [];
  for (const n of sizes) {
    sets.push({ label: `${n} B binary`, bytes: crypto.randomBytes(n) });
    sets.push({ label: `${n} B utf-8`, bytes: utf8Data(n) });
  }
  return sets;
}

const same = (a, b) => Buffer.compare(Buffer.from(a || []), Buffer.from(b || [])) === 0;

// The shape of a version byte + BSON document: element types, names and
// sizes (binary lengths, string values), with the random bytes left out.
function bsonShape(b64) {
  const buf = Buffer.from(b64.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const shape = [String.fromCharCode(buf[0]), buf.readInt32LE(1)];
  let off = 5;
  while (off < buf.length && buf[off] !== 0) {
    const type = buf[off];
    const end = buf.indexOf(0, off + 1);
    const name = buf.toString('latin1', off + 1, end);
    off = end + 1;
    if (type === 0x05) {
      const len = buf.readInt32LE(off);
      shape.push(`${name}:bin${buf[off + 4]}[${len}]`);
      off += 5 + len;
    } else if (type === 0x02) {
      const len = buf.readInt32LE(off);
      shape.push(`${name}:str=${buf.toString('utf8', off + 4, off + 3 + len)}`);
      off += 4 + len;
    } else if (type === 0x10) {
      shape.push(`${name}:int32`);
      off += 4;
    } else {
      shape.push(`${name}:type${type}`);
      break;
    }
  }
  return JSON.stringify(shape);
}

async function aesWithKey() {
  const cKey = cli(['genkey']).toString().trim();
  const jsKey = cryppo.EncryptionKey.generateRandom(32);
  const cKeyObj = cryppo.EncryptionKey.fromSerialized(cKey);
  for (const d of dataSets(SIZES)) {
    // C -> JS
    try {
      cli(['encrypt', '--in', file('pt', d.bytes), '-k', cKey, '--out', file('ser')]);
      const ser = fs.readFileSync(file('ser'), 'utf8');
      const pt = await cryppo.decryptWithKey({ serialized: ser, key: cKeyObj });
      ok(same(pt, d.bytes), `aes key C->JS ${d.label}`);
    } catch (e) {
      ok(false, `aes key C->JS ${d.label}`, e.message);
    }
    // JS -> C
    try {
      const { serialized } = await cryppo.encryptWithKey({ key: jsKey, data: d.bytes, strategy: AES });
      if (d.bytes.length === 0) {
        ok(serialized === null, `aes key JS->C ${d.label}: cryppo-js gives null`);
        continue;
      }
      cli(['decrypt', '--in', file('ser', serialized), '-k', jsKey.serialize, '--out', file('out')]);
      ok(same(fs.readFileSync(file('out')), d.bytes), `aes key JS->C ${d.label}`);
    } catch (e) {
      ok(false, `aes key JS->C ${d.label}`, e.message);
    }
  }
  // The Node CLI's interface: value and string on the command line.
  for (const n of [1, 100, 4096, 65535]) {
    const text = utf8Data(n).toString('utf8');
    try {
      const ser = cli(['encrypt', '-v', text, '-k', cKey]).toString().trimEnd();
      const pt = await cryppo.decryptWithKey({ serialized: ser, key: cKeyObj });
      ok(same(pt, Buffer.from(text)), `aes -v argv C->JS ${n} B utf-8`);
      const js = await cryppo.encryptWithKey({ key: cKeyObj, data: Buffer.from(text), strategy: AES });
      const out = cli(['decrypt', '-s', js.serialized, '-k', cKey]);
      ok(same(out, Buffer.concat([Buffer.from(text), Buffer.from('\n')])),
        `aes -s argv JS->C ${n} B utf-8`);
    } catch (e) {
      ok(false, `aes argv ${n} B`, e.message);
    }
  }
  // cryppo-js names the strategy after the key: a 128-bit key gives
  // Aes128Gcm, which our 256-bit-only library must refuse clearly.
  const k128 = cryppo.EncryptionKey.generateRandom(16);
  const s128 = await cryppo.encryptWithKey({ key: k128, data: Buffer.from('short key'), strategy: AES });
  let refusal = '';
  try {
    cli(['decrypt', '-s', s128.serialized, '-k', k128.serialize]);
  } catch (e) {
    refusal = e.message;
  }
  ok(s128.serialized.startsWith('Aes128Gcm.') && /exit 1: .*Aes128Gcm.*not supported/.test(refusal),
    'Aes128Gcm from cryppo-js refused with a clear message', refusal);
  // Byte-exact artefact layout.
  const cSer = cli(['encrypt', '-v', 'layout', '-k', cKey]).toString().trim();
  const js = await cryppo.encryptWithKey({ key: cKeyObj, data: Buffer.from('layout'), strategy: AES });
  const [cs, cct, cart] = cSer.split('.');
  const [js0, jct, jart] = js.serialized.split('.');
  ok(cs === js0 && cct.length === jct.length, 'aes strategy and ciphertext length match cryppo-js');
  ok(cart.length === jart.length && bsonShape(cart) === bsonShape(jart),
    'aes artefacts have the cryppo-js BSON layout', `${bsonShape(cart)} vs ${bsonShape(jart)}`);
}

async function aesWithPassphrase() {
  fs.writeFileSync(file('pass'), PASSPHRASE);
  for (const d of dataSets(PASSPHRASE_SIZES)) {
    try {
      cli(['encrypt', '--in', file('pt', d.bytes), '--passphrase-file', file('pass'), '--out', file('ser')]);
      const ser = fs.readFileSync(file('ser'), 'utf8');
      const pt = await cryppo.decryptWithKeyDerivedFromString({ serialized: ser, passphrase: PASSPHRASE });
      ok(same(pt, d.bytes), `passphrase C->JS ${d.label}`);
    } catch (e) {
      ok(false, `passphrase C->JS ${d.label}`, e.message);
    }
    if (d.bytes.length === 0) continue; // cryppo-js writes "null.Pbkdf2Hmac..." for empty data
    try {
      const { serialized } = await cryppo.encryptWithKeyDerivedFromString({
        passphrase: PASSPHRASE, data: d.bytes, strategy: AES });
      cli(['decrypt', '--in', file('ser', serialized), '--passphrase-file', file('pass'), '--out', file('out')]);
      ok(same(fs.readFileSync(file('out')), d.bytes), `passphrase JS->C ${d.label}`);
    } catch (e) {
      ok(false, `passphrase JS->C ${d.label}`, e.message);
    }
  }
  const cSer = cli(['encrypt', '-v', 'layout', '--passphrase', PASSPHRASE]).toString().trim();
  const js = await cryppo.encryptWithKeyDerivedFromString({
    passphrase: PASSPHRASE, data: Buffer.from('layout'), strategy: AES });
  const c = cSer.split('.');
  const j = js.serialized.split('.');
  ok(c.length === 5 && c[3] === j[3] && c[4].length === j[4].length
     && bsonShape(c[4]) === bsonShape(j[4]),
  'derivation artefacts have the cryppo-js BSON layout', `${bsonShape(c[4])} vs ${bsonShape(j[4])}`);
}

// cryppo-js can still write the legacy YAML artefacts that old vault data
// holds; our reader must open them (JS -> C only: we write BSON).
async function legacyYaml(jsKeys) {
  const key = cryppo.EncryptionKey.generateRandom(32);
  for (const d of dataSets([1, 100, 4096])) {
    try {
      const { serialized } = await cryppo.encryptWithKey({ key, data: d.bytes, strategy: AES }, 'legacy');
      const art = Buffer.from(serialized.split('.')[2].replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      ok(art.toString('latin1').startsWith('---'), `legacy aes is YAML ${d.label}`);
      cli(['decrypt', '--in', file('ser', serialized), '-k', key.serialize, '--out', file('out')]);
      ok(same(fs.readFileSync(file('out')), d.bytes), `legacy aes JS->C ${d.label}`);
      const p = await cryppo.encryptWithKeyDerivedFromString({
        passphrase: PASSPHRASE, data: d.bytes, strategy: AES, serializationVersion: 'legacy' });
      cli(['decrypt', '--in', file('ser', p.serialized), '--passphrase-file', file('pass'), '--out', file('out')]);
      ok(same(fs.readFileSync(file('out')), d.bytes), `legacy passphrase JS->C ${d.label}`);
    } catch (e) {
      ok(false, `legacy JS->C ${d.label}`, e.message);
    }
  }
  const data = Buffer.from('legacy rsa \u{1F600}');
  try {
    const { serialized } = await cryppo.encryptWithPublicKey({
      publicKeyPem: jsKeys.pub, data: cryppo.bytesToBinaryString(data) }, 'legacy');
    // cryppo-js writes the empty legacy artefacts as "---\n{}\n".
    let out = null;
    let err = '';
    try {
      cli(['decrypt', '--in', file('ser', serialized), '-p', jsKeys.privPath, '--out', file('out')]);
      out = fs.readFileSync(file('out'));
    } catch (e) {
      err = e.message;
    }
    okKnownGap(out !== null && same(out, data), 'legacy rsa JS->C (artefacts "---\\n{}\\n")', err);
  } catch (e) {
    ok(false, 'legacy rsa JS->C', e.message);
  }
}

// One key pair from our CLI (OpenSSL, LF PEM), one from cryppo-js (forge,
// CRLF PEM); each side encrypts to and decrypts with the other's keys.
async function rsa(cKeys, jsKeys) {
  for (const d of dataSets(RSA_SIZES)) {
    try {
      cli(['encrypt', '--in', file('pt', d.bytes), '-P', cKeys.pubPath, '--out', file('ser')]);
      const ser = fs.readFileSync(file('ser'), 'utf8');
      const pt = await cryppo.decryptSerializedWithPrivateKey({ privateKeyPem: cKeys.priv, serialized: ser });
      ok(same(cryppo.binaryStringToBytes(pt), d.bytes), `rsa C->JS ${d.label}`);
    } catch (e) {
      ok(false, `rsa C->JS ${d.label}`, e.message);
    }
    try {
      const { serialized } = await cryppo.encryptWithPublicKey({
        publicKeyPem: jsKeys.pub, data: cryppo.bytesToBinaryString(d.bytes) });
      cli(['decrypt', '--in', file('ser', serialized), '-p', jsKeys.privPath, '--out', file('out')]);
      ok(same(fs.readFileSync(file('out')), d.bytes), `rsa JS->C ${d.label}`);
    } catch (e) {
      ok(false, `rsa JS->C ${d.label}`, e.message);
    }
  }
}

async function signatures(cKeys, jsKeys) {
  for (const d of dataSets(SIGN_SIZES)) {
    try {
      cli(['sign', file('signed'), file('pt', d.bytes), '-p', cKeys.privPath]);
      const ser = fs.readFileSync(file('signed'), 'utf8');
      const sig = cryppo.loadRsaSignature(ser);
      ok(cryppo.verifyWithPublicKey(cKeys.pub, sig) && same(sig.data, d.bytes),
        `signature C->JS ${d.label}`);
      const jsSame = cryppo.signWithPrivateKey(cKeys.priv, d.bytes).serialized;
      ok(jsSame === ser, `signature C and JS identical ${d.label}`);
    } catch (e) {
      ok(false, `signature C->JS ${d.label}`, e.message);
    }
    try {
      const { serialized } = cryppo.signWithPrivateKey(jsKeys.priv, d.bytes);
      cli(['verify', file('verified'), file('signed', serialized), '-P', jsKeys.pubPath]);
      ok(same(fs.readFileSync(file('verified')), d.bytes), `signature JS->C ${d.label}`);
    } catch (e) {
      ok(false, `signature JS->C ${d.label}`, e.message);
    }
  }
  // Tampering must be caught on both sides.
  const { serialized } = cryppo.signWithPrivateKey(jsKeys.priv, Buffer.from('pay 10'));
  const forged = serialized.replace(/\.[^.]*$/, '.' + Buffer.from('pay 99').toString('base64'));
  let rejected = false;
  try {
    cli(['verify', file('verified'), file('signed', forged), '-P', jsKeys.pubPath]);
  } catch (e) {
    rejected = true;
  }
  ok(rejected, 'forged cryppo-js signature rejected by C');
  cli(['sign', file('signed'), file('pt', 'pay 10'), '-p', cKeys.privPath]);
  const cForged = fs.readFileSync(file('signed'), 'utf8').replace(/\.[^.]*$/, '.' + Buffer.from('pay 99').toString('base64'));
  ok(!cryppo.verifyWithPublicKey(cKeys.pub, cryppo.loadRsaSignature(cForged)),
    'forged C signature rejected by cryppo-js');
}

async function main() {
  if (!CLI) {
    console.error('usage: cryppo-interop.js PATH/TO/cryppo');
    process.exit(2);
  }
  const t0 = Date.now();
  await aesWithKey();
  await aesWithPassphrase();
  cli(['genkeypair', '-p', file('c.priv'), '-P', file('c.pub')]);
  const cKeys = { privPath: file('c.priv'), pubPath: file('c.pub') };
  cKeys.priv = fs.readFileSync(cKeys.privPath, 'utf8');
  cKeys.pub = fs.readFileSync(cKeys.pubPath, 'utf8');
  const pair = await cryppo.generateRSAKeyPair(4096);
  const jsKeys = { priv: pair.privateKey, pub: pair.publicKey,
    privPath: file('js.priv', pair.privateKey), pubPath: file('js.pub', pair.publicKey) };
  await rsa(cKeys, jsKeys);
  await signatures(cKeys, jsKeys);
  await legacyYaml(jsKeys);
  console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.log(`not ok - unexpected error: ${e.stack}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});
