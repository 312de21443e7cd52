// tests/interop_export/meeco-account.js - what Meeco's SDK does to open an
// account, written with @meeco/cryppo 2.0.2 only; shared by the interop
// checkers (meeco-export-check.js, ../interop_vendor/vendor-check.js).
'use strict';

const path = require('path');

function loadCryppo() {
  const local = path.join(__dirname, '..', 'interop', 'node_modules', '@meeco', 'cryppo');
  try {
    return require(local);
  } catch (e) {
    return require('@meeco/cryppo');
  }
}
const cryppo = loadCryppo();

// Secrets.destructureSecret: "1.<username>.<key grouped with '-'>".
function secretKeyPart(secret) {
  const parts = secret.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) throw new Error('Invalid secret format');
  return { username: parts[1], key: parts[2].replace(/-/g, '') };
}

// Secrets.derivePDK of the SDK (derivationConstants: 100000, variance 0, 32).
async function derivePDK(key, passphrase) {
  const { key: pdk } = await cryppo.generateDerivedKey({
    passphrase, useSalt: key, iterationVariance: 0, minIterations: 100000, length: 32,
  });
  return pdk;
}

// A wrapped 32-byte key (KEK under the PDK, DEK under the KEK), or null.
async function unwrapKey(serialized, key) {
  const bytes = await cryppo.decryptWithKey({ serialized, key });
  return bytes && bytes.length === 32 ? cryppo.EncryptionKey.fromBytes(bytes) : null;
}

// True when the operation throws or yields nothing (cryppo-js does both).
async function failsWith(promiseFn) {
  try {
    const r = await promiseFn();
    return r === null || r === undefined;
  } catch (e) {
    return true;
  }
}

module.exports = { cryppo, secretKeyPart, derivePDK, unwrapKey, failsWith };
