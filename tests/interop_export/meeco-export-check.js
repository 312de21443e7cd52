#!/usr/bin/env node
// tests/interop_export/meeco-export-check.js - proves from the outside, with
// Meeco's own @meeco/cryppo 2.0.2 and nothing of ours, that a token's
// `meeco-token export` is a Meeco account: given only the Secret Key, the
// passphrase and the export, it derives the PDK exactly like the Meeco SDK
// (Secrets.derivePDK: PBKDF2-SHA256, 100000 iterations, salt = the Secret
// Key's key part), unwraps the KEK, the private DEK and the `auth` private
// key, and decrypts slot values.
//
//   node meeco-export-check.js --export FILE --secret SECRET
//        (--passphrase P | --passphrase-file F)
//        [--expect ITEM/SLOT=TEXT]... [--expect-hex ITEM/SLOT=HEX]...
//        [--expect-label SLOT_LABEL=TEXT]...
//
// ITEM and SLOT are the sanitized Vault names (as `meeco-token list` shows).
// Prints one "ok"/"not ok" line per check, then "N passed, N failed";
// exits 1 if anything failed.
'use strict';

const crypto = require('crypto');
const fs = require('fs');

const { cryppo, secretKeyPart, derivePDK, unwrapKey, failsWith } = require('./meeco-account');

let passed = 0;
let failed = 0;
function ok(cond, name, detail) {
  if (cond) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? ': ' + detail : ''}`);
  }
}

function parseArgs(argv) {
  const o = { expect: [] };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i];
    if (v === undefined) throw new Error(`missing value for ${a}`);
    if (a === '--export') o.export = v;
    else if (a === '--secret') o.secret = v;
    else if (a === '--passphrase') o.passphrase = v;
    else if (a === '--passphrase-file') o.passphrase = fs.readFileSync(v, 'utf8').split(/\r?\n/)[0];
    else if (a === '--expect' || a === '--expect-hex' || a === '--expect-label') {
      const eq = v.indexOf('=');
      if (eq < 0) throw new Error(`${a} needs KEY=VALUE`);
      const key = v.slice(0, eq);
      const raw = v.slice(eq + 1);
      const bytes = a === '--expect-hex' ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'utf8');
      o.expect.push({ byLabel: a === '--expect-label', key, bytes });
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!o.export || !o.secret || o.passphrase === undefined) {
    throw new Error('need --export, --secret and --passphrase[-file]');
  }
  return o;
}

async function checkKeys(exp, secret, passphrase) {
  const ks = exp.keystore;
  const { key } = secretKeyPart(secret);
  const pdk = await derivePDK(key, passphrase);
  const nodePdk = crypto.pbkdf2Sync(Buffer.from(passphrase, 'utf8'), Buffer.from(key, 'ascii'),
    100000, 32, 'sha256');
  ok(Buffer.from(pdk.bytes).equals(nodePdk), 'PDK from cryppo-js equals PBKDF2-SHA256(100000, salt = secret key)');

  const wrappedKek = ks.key_encryption_key && ks.key_encryption_key.serialized_key_encryption_key;
  ok(typeof wrappedKek === 'string' && /^Aes256Gcm\.[^.]+\.[^.]+$/.test(wrappedKek),
    'key_encryption_key is a 3-part Aes256Gcm string');
  const kek = await unwrapKey(wrappedKek, pdk);
  ok(kek !== null, 'KEK unwraps with the PDK (32 bytes)');
  const wrongPdk = await derivePDK(key, passphrase + 'x');
  ok(await failsWith(() => cryppo.decryptWithKey({ serialized: wrappedKek, key: wrongPdk })),
    'a wrong passphrase does not unwrap the KEK');
  if (!kek) return null;

  const user = exp.vault && exp.vault.me && exp.vault.me.user;
  const dekId = user && user.private_dek_external_id;
  let dek = null;
  for (const d of ks.data_encryption_keys || []) {
    const k = await unwrapKey(d.serialized_data_encryption_key, kek);
    ok(k !== null, `DEK ${d.id} unwraps with the KEK`);
    if (d.id === dekId) dek = k;
  }
  ok(dek !== null, 'the private DEK (me.user.private_dek_external_id) is among them');

  const auth = (ks.keypairs || []).filter((k) => (k.external_identifiers || []).includes('auth'));
  ok(auth.length === 1, 'exactly one keypair is tagged "auth"');
  for (const kp of ks.keypairs || []) await checkKeypair(kp, kek);
  return dek;
}

async function checkKeypair(kp, kek) {
  const pemBytes = await cryppo.decryptWithKey({ serialized: kp.encrypted_serialized_key, key: kek });
  const pem = pemBytes ? Buffer.from(pemBytes).toString('utf8') : '';
  ok(pem.startsWith('-----BEGIN RSA PRIVATE KEY'), `keypair ${kp.id}: private PEM (PKCS#1) unwraps with the KEK`);
  ok(kp.public_key.startsWith('-----BEGIN PUBLIC KEY'), `keypair ${kp.id}: public key is SPKI PEM`);
  if (!pem) return;
  const fromPriv = crypto.createPublicKey(crypto.createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  const pub = crypto.createPublicKey(kp.public_key).export({ type: 'spki', format: 'der' });
  ok(fromPriv.equals(pub), `keypair ${kp.id}: private key matches public_key`);
  // What the SDK does with it: RSA-OAEP through cryppo-js both ways.
  const { serialized } = await cryppo.encryptWithPublicKey({ publicKeyPem: kp.public_key, data: 'vault token' });
  const back = await cryppo.decryptSerializedWithPrivateKey({ privateKeyPem: pem, serialized });
  ok(back === 'vault token', `keypair ${kp.id}: cryppo-js RSA-OAEP round trip with the unwrapped key`);
}

async function checkSlots(exp, dek, expectations) {
  const items = (exp.vault && exp.vault.items && exp.vault.items.items) || [];
  const slots = (exp.vault && exp.vault.items && exp.vault.items.slots) || [];
  const plain = new Map();
  for (const s of slots) {
    if (s.encrypted_value === null) {
      plain.set(s.id, Buffer.alloc(0));
      continue;
    }
    const bytes = await cryppo.decryptWithKey({ serialized: s.encrypted_value, key: dek });
    ok(bytes !== null && bytes !== undefined, `slot ${s.id} (${s.name}) decrypts with the private DEK`);
    plain.set(s.id, Buffer.from(bytes || []));
  }
  for (const it of items) {
    const own = slots.filter((s) => s.item_id === it.id).map((s) => s.id).sort();
    ok(JSON.stringify(own) === JSON.stringify([...it.slot_ids].sort()), `item ${it.name}: slot_ids match the slots`);
  }
  for (const e of expectations) {
    let found = [];
    if (e.byLabel) {
      found = slots.filter((s) => s.label === e.key);
    } else {
      const [itemName, slotName] = e.key.split('/');
      const item = items.find((i) => i.name === itemName);
      found = item ? slots.filter((s) => item.slot_ids.includes(s.id) && s.name === slotName) : [];
    }
    ok(found.length === 1 && plain.get(found[0].id).equals(e.bytes),
      `expected value of ${e.byLabel ? 'label ' : ''}${e.key}`,
      found.length === 1 ? `got ${plain.get(found[0].id).toString('hex')}` : `${found.length} slots found`);
  }
}

async function main() {
  const o = parseArgs(process.argv);
  const exp = JSON.parse(fs.readFileSync(o.export, 'utf8'));
  const dek = await checkKeys(exp, o.secret, o.passphrase);
  if (dek) await checkSlots(exp, dek, o.expect);
  else ok(false, 'private DEK available for the slot checks');
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`not ok - ${e.stack || e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
