// tests/server/sdk/interop.js - the published Meeco JS SDK (@meeco/sdk
// 0.0.13-alpha, unmodified) against a running meeco-server:
//   node interop.js http://127.0.0.1:PORT
// UserService.create (SRP sign-up, keys, vault account), getAuthData
// (login), ItemService create/list/get with client-side encryption.
// Prints "N passed, M failed" and exits non-zero on any failure.
'use strict';

const assert = require('assert');
const sdk = require('@meeco/sdk');

const base = process.argv[2];
if (!base) {
  console.error('usage: node interop.js http://127.0.0.1:PORT');
  process.exit(2);
}

const env = new sdk.Environment({
  vault: { url: `${base}/vault`, subscription_key: 'SUBKEY' },
  keystore: { url: `${base}/keystore`, subscription_key: 'SUBKEY',
              provider_api_key: '' },
});
const quiet = () => {};
let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
    if (e && typeof e.text === 'function') {
      console.log(`     HTTP ${e.status}: ${await e.text()}`);
    }
  }
}

async function main() {
  const users = new sdk.UserService(env, quiet);
  const items = new sdk.ItemService(env, quiet);
  const passphrase = 'correct horse battery staple';
  let secret;
  let created;
  let auth;
  let itemId;

  await check('generateUsername + generateSecret', async () => {
    const username = await users.generateUsername();
    assert.ok(username.length >= 8);
    secret = await new sdk.SecretService().generateSecret(username);
    assert.ok(secret.startsWith(`1.${username}.`));
  });
  await check('UserService.create (SRP sign-up, KEK, DEK, keypair, vault)',
    async () => {
      created = await users.create(passphrase, secret);
      assert.ok(created.keystore_access_token);
      assert.ok(created.vault_access_token);
      assert.ok(created.data_encryption_key);
    });
  await check('UserService.getAuthData (SRP login, unwrap keys)', async () => {
    auth = await users.getAuthData(passphrase, secret);
    assert.strictEqual(auth.data_encryption_key.key,
                       created.data_encryption_key.key);
    assert.strictEqual(auth.key_encryption_key.key,
                       created.key_encryption_key.key);
    assert.notStrictEqual(auth.vault_access_token,
                          created.vault_access_token);
  });
  await check('wrong passphrase is refused', async () => {
    await assert.rejects(users.getAuthData('wrong passphrase', secret));
  });
  await check('ItemService.create (encrypted slots, template)', async () => {
    const res = await items.create(auth.vault_access_token,
      auth.data_encryption_key, new sdk.ItemCreateData({
        template_name: 'vehicle',
        item: { label: 'My Car' },
        slots: [{ name: 'model_make', label: 'Make', value: 'Tesla Model 3',
                  slot_type_name: 'key_value' },
                { name: 'note', label: 'Note', value: 'blue',
                  slot_type_name: 'key_value' }],
      }));
    itemId = res.item.id;
    assert.strictEqual(res.item.label, 'My Car');
    const make = res.slots.find((s) => s.name === 'model_make');
    assert.ok(make.encrypted_value.startsWith('Aes256Gcm.'));
  });
  await check('ItemService.list', async () => {
    const res = await items.list(auth.vault_access_token);
    assert.strictEqual(res.items.length, 1);
    assert.strictEqual(res.items[0].id, itemId);
  });
  await check('ItemService.get decrypts the values', async () => {
    const res = await items.get(itemId, auth);
    const make = res.slots.find((s) => s.name === 'model_make');
    assert.strictEqual(make.value, 'Tesla Model 3');
    const note = res.slots.find((s) => s.name === 'note');
    assert.strictEqual(note.value, 'blue');
  });
  let bob;
  let connectionId;
  let shareId;
  await check('second user (bob) with UserService.create', async () => {
    const name = await users.generateUsername();
    const bobSecret = await new sdk.SecretService().generateSecret(name);
    bob = await users.create('bob passphrase', bobSecret);
    assert.ok(bob.vault_access_token);
  });
  await check('TemplatesService.listTemplates', async () => {
    const res = await new sdk.TemplatesService(env, auth.vault_access_token)
      .listTemplates();
    assert.ok(res.item_templates.some((t) => t.name === 'vehicle'));
    assert.ok(res.slots.length > 0);
  });
  await check('ConnectionService invitation + accept', async () => {
    const conns = new sdk.ConnectionService(env, quiet);
    const inv = await conns.createInvitation('Bob', auth);
    assert.ok(inv.token);
    const conn = await conns.acceptInvitation('Alice', inv.token, bob);
    assert.strictEqual(conn.the_other_user.user_id !== undefined, true);
    const mine = await conns.listConnections(auth);
    assert.strictEqual(mine.length, 1);
    assert.strictEqual(mine[0].name, 'Bob');
    connectionId = mine[0].connection.own.id;
  });
  await check('ShareService.shareItem', async () => {
    const res = await new sdk.ShareService(env, quiet).shareItem(auth,
      connectionId, itemId, { sharing_mode: 'owner',
                              acceptance_required: 'acceptance_not_required' });
    assert.strictEqual(res.shares.length, 1);
    shareId = res.shares[0].id;
    assert.strictEqual(res.shares[0].item_id, itemId);
  });
  await check('recipient lists and decrypts the shared item', async () => {
    const shares = new sdk.ShareService(env, quiet);
    const incoming = await shares.listShares(bob, sdk.ShareType.incoming);
    assert.strictEqual(incoming.shares.length, 1);
    const got = await shares.getSharedItemIncoming(bob, shareId);
    assert.strictEqual(got.item.own, false);
    assert.strictEqual(got.item.original_id, itemId);
    const make = got.slots.find((x) => x.name === 'model_make');
    assert.strictEqual(make.value, 'Tesla Model 3');
    const outgoing = await shares.listShares(auth, sdk.ShareType.outgoing);
    assert.strictEqual(outgoing.shares.length, 1);
  });
  await check('deleteSessionTokens', async () => {
    await users.deleteSessionTokens(auth.vault_access_token,
                                    auth.keystore_access_token);
    await assert.rejects(items.list(auth.vault_access_token));
  });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL unexpected: ${e && e.stack ? e.stack : e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
