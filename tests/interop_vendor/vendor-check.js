#!/usr/bin/env node
// tests/interop_vendor/vendor-check.js - the JS half of run.sh, with
// Meeco's @meeco/cryppo 2.0.2 and nothing of ours.  From the Secret Key, the
// passphrase and `meeco-token export` it unwraps the KEK, the private DEK and
// the `auth` private key (as the Meeco SDK does), then:
//   - decrypts the token's C_Encrypt(CKM_MEECO_CRYPPO_AES_GCM) string with
//     the DEK and compares it with the text;
//   - decrypts the token's C_WrapKey(CKM_MEECO_CRYPPO_RSA) string with the
//     private key and compares it with the DEK bytes;
//   - checks that tampered copies of both do not decrypt;
//   - makes a fresh AES key K, encrypts it for the token's public key and a
//     text with K, and writes both strings (and the text) to --out as JSON
//     for the C_UnwrapKey half of the test.
//
//   node vendor-check.js --export FILE --secret SECRET --passphrase-file F
//        --text TEXT --token-aes STRING --token-wrapped STRING --out FILE
//
// Prints one "ok"/"not ok" line per check, then "N passed, N failed";
// exits 1 if anything failed.
'use strict';

const crypto = require('crypto');
const fs = require('fs');

const account = require('../interop_export/meeco-account');
const { cryppo, failsWith: rejects } = account;

let passed = 0;
let failed = 0;
function ok(cond, name, detail) {
  if (cond) passed++;
  else failed++;
  console.log(`${cond ? 'ok' : 'not ok'} - ${name}${!cond && detail ? ': ' + detail : ''}`);
}

function parseArgs(argv) {
  const o = {};
  const names = { '--export': 'export', '--secret': 'secret', '--text': 'text',
    '--token-aes': 'tokenAes', '--token-wrapped': 'tokenWrapped', '--out': 'out' };
  for (let i = 2; i < argv.length; i += 2) {
    const a = argv[i];
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`missing value for ${a}`);
    if (a === '--passphrase-file') o.passphrase = fs.readFileSync(v, 'utf8').split(/\r?\n/)[0];
    else if (names[a]) o[names[a]] = v;
    else throw new Error(`unknown argument ${a}`);
  }
  for (const k of ['export', 'secret', 'passphrase', 'text', 'tokenAes', 'tokenWrapped', 'out']) {
    if (o[k] === undefined) throw new Error(`missing ${k}`);
  }
  return o;
}

// The account's keys as the SDK unwraps them; a key that does not unwrap
// to 32 bytes stops the check.
async function derivePDK(secret, passphrase) {
  return account.derivePDK(account.secretKeyPart(secret).key, passphrase);
}

async function unwrapKey(serialized, key) {
  const k = await account.unwrapKey(serialized, key);
  if (!k) throw new Error('a key did not unwrap to 32 bytes');
  return k;
}

// Flips one character of the ciphertext part (the second dot-field).
function tamper(serialized) {
  const parts = serialized.split('.');
  const c = parts[1];
  const i = Math.floor(c.length / 2);
  parts[1] = c.slice(0, i) + (c[i] === 'A' ? 'B' : 'A') + c.slice(i + 1);
  return parts.join('.');
}

async function accountKeys(exp, o) {
  const ks = exp.keystore;
  const pdk = await derivePDK(o.secret, o.passphrase);
  const kek = await unwrapKey(ks.key_encryption_key.serialized_key_encryption_key, pdk);
  const dekId = exp.vault.me.user.private_dek_external_id;
  const d = ks.data_encryption_keys.find((x) => x.id === dekId);
  const dek = await unwrapKey(d.serialized_data_encryption_key, kek);
  const kp = ks.keypairs.find((k) => (k.external_identifiers || []).includes('auth'));
  const pemBytes = await cryppo.decryptWithKey({ serialized: kp.encrypted_serialized_key, key: kek });
  const privatePem = Buffer.from(pemBytes).toString('utf8');
  ok(privatePem.startsWith('-----BEGIN RSA PRIVATE KEY'), 'KEK, private DEK and auth private key unwrap from the export');
  return { dek, privatePem, publicPem: kp.public_key };
}

async function checkTokenStrings(keys, o) {
  ok(/^Aes256Gcm\.[^.]+\.[^.]+$/.test(o.tokenAes), 'C_Encrypt(CKM_MEECO_CRYPPO_AES_GCM) gives an Aes256Gcm string');
  const text = await cryppo.decryptWithKey({ serialized: o.tokenAes, key: keys.dek });
  ok(text && Buffer.from(text).equals(Buffer.from(o.text, 'utf8')),
    'the token\'s Aes256Gcm string decrypts in cryppo-js with the exported DEK to the text');
  ok(await rejects(() => cryppo.decryptWithKey({ serialized: tamper(o.tokenAes), key: keys.dek })),
    'a tampered Aes256Gcm string does not decrypt');

  ok(/^Rsa4096\.[^.]+\.QQUAAAAA$/.test(o.tokenWrapped), 'C_WrapKey(CKM_MEECO_CRYPPO_RSA) gives "Rsa4096.<ct>.QQUAAAAA"');
  const raw = await cryppo.decryptSerializedWithPrivateKey({ privateKeyPem: keys.privatePem, serialized: o.tokenWrapped });
  ok(typeof raw === 'string' &&
    Buffer.from(raw, 'binary').equals(Buffer.from(keys.dek.bytes)),
    'the token\'s C_WrapKey result decrypts in cryppo-js with the private key to the DEK bytes');
  ok(await rejects(() => cryppo.decryptSerializedWithPrivateKey({
    privateKeyPem: keys.privatePem, serialized: tamper(o.tokenWrapped) })),
  'a tampered Rsa4096 string does not decrypt');
}

// What a Meeco share does: a fresh key for the recipient's public key.
async function makeForToken(keys, o) {
  const k = cryppo.EncryptionKey.generateRandom(32);
  const { serialized: rsa } = await cryppo.encryptWithPublicKey({
    publicKeyPem: keys.publicPem, data: Buffer.from(k.bytes).toString('binary') });
  const text = `made by cryppo-js for the token \u2713 ${crypto.randomBytes(4).toString('hex')}`;
  const { serialized: aes } = await cryppo.encryptWithKey({
    key: k, data: Buffer.from(text, 'utf8'), strategy: cryppo.CipherStrategy.AES_GCM });
  ok(/^Rsa4096\./.test(rsa) && /^Aes256Gcm\./.test(aes), 'cryppo-js made a Rsa4096 key string and an Aes256Gcm string');
  fs.writeFileSync(o.out, JSON.stringify({ rsa, aes, text, tampered: tamper(aes) }));
}

async function main() {
  const o = parseArgs(process.argv);
  const exp = JSON.parse(fs.readFileSync(o.export, 'utf8'));
  const keys = await accountKeys(exp, o);
  await checkTokenStrings(keys, o);
  await makeForToken(keys, o);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`not ok - ${e.stack || e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
