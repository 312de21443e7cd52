// tests/server/bench/setup.js BASE_URL - create a user and one item with
// the Meeco SDK; prints "<vault token> <item id> <slot ciphertext>" for wrk.sh.
'use strict';

// @meeco/sdk from NODE_PATH (wrk.sh sets it).
const sdk = require('@meeco/sdk');

async function main() {
  const base = process.argv[2];
  const env = new sdk.Environment({
    vault: { url: `${base}/vault`, subscription_key: '' },
    keystore: { url: `${base}/keystore`, subscription_key: '',
                provider_api_key: '' },
  });
  const users = new sdk.UserService(env, () => {});
  const username = await users.generateUsername();
  const secret = await new sdk.SecretService().generateSecret(username);
  const auth = await users.create('bench passphrase', secret);
  const item = await new sdk.ItemService(env, () => {}).create(
    auth.vault_access_token, auth.data_encryption_key,
    new sdk.ItemCreateData({
      template_name: 'vehicle', item: { label: 'Bench car' },
      slots: [{ name: 'model_make', label: 'Make', value: 'Bench',
                slot_type_name: 'key_value' }],
    }));
  const slot = item.slots.find((s) => s.name === 'model_make');
  console.log(`${auth.vault_access_token} ${item.item.id} ${slot.encrypted_value}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
