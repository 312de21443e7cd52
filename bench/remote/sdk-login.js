// bench/remote/sdk-login.js BASE_URL N - time N logins of the published
// Meeco JS SDK (@meeco/sdk 0.0.13-alpha, UserService.getAuthData: SRP
// login, unwrap KEK, keypair and DEK, vault session) against meeco-server.
// The account's Secret Key and passphrase come from MEECO_BENCH_SECRET
// and MEECO_BENCH_PASSPHRASE.  One untimed login first.  Prints
// "#R sdk_login_ms MEDIAN P90 MIN" (bench/remote/sdk.c parses it).
'use strict';

const sdk = require('@meeco/sdk');

function quantiles(ms) {
  const v = [...ms].sort((a, b) => a - b);
  const n = v.length;
  const median = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  const p90 = v[Math.max(0, Math.ceil(0.9 * n) - 1)];
  return { median, p90, min: v[0] };
}

async function main() {
  const base = process.argv[2];
  const n = Number(process.argv[3] || 5);
  const secret = process.env.MEECO_BENCH_SECRET;
  const passphrase = process.env.MEECO_BENCH_PASSPHRASE;
  if (!base || !secret || !passphrase || !(n > 0)) {
    console.error('usage: MEECO_BENCH_SECRET=.. MEECO_BENCH_PASSPHRASE=.. ' +
                  'node sdk-login.js BASE_URL N');
    process.exit(2);
  }
  const env = new sdk.Environment({
    vault: { url: `${base}/vault`, subscription_key: '' },
    keystore: { url: `${base}/keystore`, subscription_key: '',
                provider_api_key: '' },
  });
  const users = new sdk.UserService(env, () => {});
  const first = await users.getAuthData(passphrase, secret);
  if (!first.data_encryption_key || !first.vault_access_token) {
    throw new Error('getAuthData returned no DEK or vault token');
  }
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await users.getAuthData(passphrase, secret);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const q = quantiles(ms);
  console.log(`#R sdk_login_ms ${q.median.toFixed(3)} ${q.p90.toFixed(3)} ` +
              `${q.min.toFixed(3)}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
