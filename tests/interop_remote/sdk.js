// tests/interop_remote/sdk.js - the published Meeco JS SDK (@meeco/sdk
// 0.0.13-alpha, unmodified) on the Meeco accounts that run.sh also opens
// through libmeeco-pkcs11.so:
//   node sdk.js URL COMMAND PASSFILE SECRETFILE ARGS...
// URL is meeco-server's base (http://127.0.0.1:PORT), PASSFILE holds the
// passphrase (one line), SECRETFILE the Secret Key "1.<user>.<key>".
//
// Commands (each prints "ok"/"FAIL" lines and exits non-zero on failure):
//   signup                     UserService.create; writes SECRETFILE (0600)
//   create-items               items with slots through ItemService, one
//                              slot encrypted as current clients do (UTF-8)
//   expect OUT                 every slot of every item as seen by the SDK:
//                              "item<TAB>slot<TAB>hex(plaintext bytes)"
//   check-slot ITEM SLOT FILE  getAuthData, find the slot, its decrypted
//                              value is exactly FILE's bytes
//   check-dek IDHEX IV CT PT   the DEK with CKA_ID IDHEX unwraps under the
//                              KEK, and AES-256-CBC-PAD(DEK, IV) of PT is CT
//   update-slot ITEM SLOT FILE ItemService.update: the slot's value = FILE
//   add-item LABEL SLOT FILE   ItemService.create: a new item; prints its
//                              name on the last line ("name=...")
//   remove-slot ITEM SLOT      ItemService.removeSlot
//
// Plaintext bytes: SDK 0.0.13-alpha bundles @meeco/cryppo 0.9.0, which
// encrypts a JS string as a "binary string" (non-ASCII characters lose
// bytes, see shared/docs/meeco-protocol.md 1.6) and returns decrypted
// values the same way (one character per byte).  The bytes a slot holds
// are therefore checked twice: as the SDK returns them (latin1 of its
// string) and as @meeco/cryppo 2.0.2 decrypts them under the same DEK.
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const sdk = require('@meeco/sdk');
const cryppo = require('@meeco/cryppo');

const [base, command, passFile, secretFile, ...args] = process.argv.slice(2);
const quiet = () => {};
let passed = 0;
let failed = 0;

function env() {
  return new sdk.Environment({
    vault: { url: `${base}/vault`, subscription_key: 'SUBKEY' },
    keystore: { url: `${base}/keystore`, subscription_key: 'SUBKEY',
                provider_api_key: '' },
  });
}

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

const passphrase = () => fs.readFileSync(passFile, 'utf8').replace(/\n$/, '');
const secret = () => fs.readFileSync(secretFile, 'utf8').trim();
const users = () => new sdk.UserService(env(), quiet);
const itemService = () => new sdk.ItemService(env(), quiet);

async function login() {
  return users().getAuthData(passphrase(), secret());
}

// The plaintext bytes of a slot, decrypted by @meeco/cryppo 2.0.2.
async function slotBytes(slot, auth) {
  if (!slot.encrypted_value) return Buffer.alloc(0);
  const key = cryppo.EncryptionKey.fromBytes(
    Buffer.from(auth.data_encryption_key.key, 'binary'));
  const out = await cryppo.decryptWithKey({ serialized: slot.encrypted_value,
                                            key });
  return Buffer.from(out);
}

// Every item of the account with its slots (joined by slot_ids).
async function allItems(auth) {
  const res = await itemService().listAll(auth.vault_access_token);
  return res.items.map((item) => ({
    item,
    slots: res.slots.filter((s) => item.slot_ids.includes(s.id)),
  }));
}

async function findSlot(auth, itemName, slotName) {
  const all = await allItems(auth);
  const found = all.find((x) => x.item.name === itemName);
  assert.ok(found, `no item named ${itemName}: ` +
            all.map((x) => x.item.name).join(', '));
  const slot = found.slots.find((s) => s.name === slotName);
  assert.ok(slot, `item ${itemName} has no slot ${slotName}`);
  return { item: found.item, slot };
}

const commands = {
  async signup() {
    await check('UserService.create (SRP sign-up, KEK, DEK, keypair, vault)',
      async () => {
        const username = await users().generateUsername();
        const key = await new sdk.SecretService().generateSecret(username);
        const created = await users().create(passphrase(), key);
        assert.ok(created.vault_access_token);
        fs.writeFileSync(secretFile, `${key}\n`, { mode: 0o600 });
      });
  },

  async 'create-items'() {
    const auth = await login();
    const svc = itemService();
    const created = [];
    await check('ItemService.create: item with two slots', async () => {
      created.push(await svc.create(auth.vault_access_token,
        auth.data_encryption_key, new sdk.ItemCreateData({
          item: { label: 'Web Login' },
          slots: [{ name: 'username', label: 'Username',
                    value: 'alice@example.com', slot_type_name: 'key_value' },
                  { name: 'password', label: 'Password',
                    value: 'pässwörd ✓ 🔑', slot_type_name: 'password' }],
        })));
    });
    await check('ItemService.create: template item (empty template slots)',
      async () => {
        created.push(await svc.create(auth.vault_access_token,
          auth.data_encryption_key, new sdk.ItemCreateData({
            template_name: 'vehicle',
            item: { label: 'My Car' },
            slots: [{ name: 'model_make', label: 'Make',
                      value: 'Tesla Model 3', slot_type_name: 'key_value' },
                    { name: 'note', label: 'Note',
                      value: 'line one\nline two\ttab ', slot_type_name:
                      'key_value' }],
          })));
      });
    await check('UTF-8 slot as current clients write it (cryppo 2.0.2)',
      async () => {
        const key = cryppo.EncryptionKey.fromBytes(
          Buffer.from(auth.data_encryption_key.key, 'binary'));
        const enc = await cryppo.encryptWithKey({
          key, strategy: cryppo.CipherStrategy.AES_GCM,
          data: Buffer.from('Grüße, 世界 🔐 café', 'utf8') });
        const api = sdk.vaultAPIFactory(env())(auth.vault_access_token);
        created.push(await api.ItemApi.itemsPost({ item: {
          label: 'Café Notes ✓',
          slots_attributes: [{ name: 'greeting', label: 'Greeting',
                               slot_type_name: 'key_value',
                               encrypted_value: enc.serialized }] } }));
      });
    await check('the SDK reads back what it wrote', async () => {
      const got = await svc.get(created[0].item.id, auth);
      const user = got.slots.find((s) => s.name === 'username');
      assert.strictEqual(user.value, 'alice@example.com');
      const car = await svc.get(created[1].item.id, auth);
      const note = car.slots.find((s) => s.name === 'note');
      assert.strictEqual(note.value, 'line one\nline two\ttab ');
      assert.ok(car.slots.length > 2, 'the template adds slots');
    });
  },

  async expect(out) {
    const auth = await login();
    const lines = [];
    await check('every slot decrypts alike in the SDK and cryppo 2.0.2',
      async () => {
        for (const { item } of await allItems(auth)) {
          const got = await itemService().get(item.id, auth);
          for (const slot of got.slots) {
            const bytes = await slotBytes(slot, auth);
            const sdkBytes = Buffer.from(slot.value || '', 'latin1');
            assert.ok(bytes.equals(sdkBytes),
                      `${item.name}/${slot.name}: SDK ${sdkBytes.toString(
                        'hex')} != cryppo ${bytes.toString('hex')}`);
            lines.push(`${item.name}\t${slot.name}\t${bytes.toString('hex')}`);
          }
        }
        assert.ok(lines.length > 0);
      });
    fs.writeFileSync(out, lines.sort().join('\n') + '\n');
  },

  async 'check-slot'(itemName, slotName, file) {
    const want = fs.readFileSync(file);
    let auth;
    await check('UserService.getAuthData', async () => { auth = await login(); });
    await check(`${itemName}/${slotName}: the module's value decrypts`,
      async () => {
        const { item, slot } = await findSlot(auth, itemName, slotName);
        assert.ok(slot.encrypted_value.startsWith('Aes256Gcm.'));
        const got = await itemService().get(item.id, auth);
        const dec = got.slots.find((s) => s.id === slot.id);
        const sdkBytes = Buffer.from(dec.value || '', 'latin1');
        assert.ok(sdkBytes.equals(want), `SDK: ${sdkBytes.toString('hex')}` +
                  ` want ${want.toString('hex')}`);
        const bytes = await slotBytes(slot, auth);
        assert.ok(bytes.equals(want), `cryppo 2.0.2: ${bytes.toString('hex')}`);
      });
  },

  async 'check-dek'(idHex, ivHex, ctFile, ptFile) {
    const auth = await login();
    await check('the module\'s DEK unwraps under the SDK\'s KEK', async () => {
      const h = idHex.toLowerCase();
      assert.strictEqual(h.length, 32);
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-` +
                 `${h.slice(16, 20)}-${h.slice(20)}`;
      const api = sdk.keystoreAPIFactory(env())(auth.keystore_access_token);
      const res = await api.DataEncryptionKeyApi.dataEncryptionKeysIdGet(id);
      const rec = res.data_encryption_key;
      const kek = cryppo.EncryptionKey.fromBytes(
        Buffer.from(auth.key_encryption_key.key, 'binary'));
      const dek = Buffer.from(await cryppo.decryptWithKey({
        serialized: rec.serialized_data_encryption_key, key: kek }));
      assert.strictEqual(dek.length, 32);
      const d = crypto.createDecipheriv('aes-256-cbc', dek,
                                        Buffer.from(ivHex, 'hex'));
      const pt = Buffer.concat([d.update(fs.readFileSync(ctFile)), d.final()]);
      assert.ok(pt.equals(fs.readFileSync(ptFile)),
                'the module encrypted with another key');
    });
  },

  async 'update-slot'(itemName, slotName, file) {
    const auth = await login();
    await check(`ItemService.update ${itemName}/${slotName}`, async () => {
      const { item, slot } = await findSlot(auth, itemName, slotName);
      await itemService().update(auth.vault_access_token,
        auth.data_encryption_key, new sdk.ItemUpdateData({
          id: item.id, label: item.label,
          slots: [{ id: slot.id, name: slot.name,
                    value: fs.readFileSync(file, 'latin1') }],
        }));
      const again = await findSlot(auth, itemName, slotName);
      assert.strictEqual(again.slot.id, slot.id);
      assert.ok((await slotBytes(again.slot, auth))
        .equals(fs.readFileSync(file)));
    });
  },

  async 'add-item'(label, slotName, file) {
    const auth = await login();
    let name;
    await check(`ItemService.create ${label}`, async () => {
      const res = await itemService().create(auth.vault_access_token,
        auth.data_encryption_key, new sdk.ItemCreateData({
          item: { label },
          slots: [{ name: slotName, label: slotName,
                    value: fs.readFileSync(file, 'latin1'),
                    slot_type_name: 'key_value' }],
        }));
      name = res.item.name;
      assert.ok(name);
    });
    console.log(`name=${name}`);
  },

  async 'remove-slot'(itemName, slotName) {
    const auth = await login();
    await check(`ItemService.removeSlot ${itemName}/${slotName}`, async () => {
      const { slot } = await findSlot(auth, itemName, slotName);
      await itemService().removeSlot(slot.id, auth.vault_access_token);
    });
  },
};

async function main() {
  if (!base || !commands[command] || !passFile || !secretFile) {
    console.error('usage: node sdk.js URL COMMAND PASSFILE SECRETFILE ARGS...' +
                  `\ncommands: ${Object.keys(commands).join(', ')}`);
    process.exit(2);
  }
  await commands[command](...args);
  process.exit(failed || !passed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL ${command}: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
