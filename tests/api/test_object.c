/* tests/api/test_object.c - create, read, change, copy, destroy;
 * visibility, the Meeco mapping, persistence across C_Finalize. */
#include <string.h>

#include "support.h"

#define PIN(p) (CK_UTF8CHAR_PTR)(p), strlen(p)
#define RW (CKF_SERIAL_SESSION | CKF_RW_SESSION)

static CK_OBJECT_CLASS data_cls = CKO_DATA;
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

/* One attribute into buf (NUL-terminated); returns its length or -1. */
static long attr(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
                 CK_ATTRIBUTE_TYPE type, void *buf, CK_ULONG size)
{
    CK_ATTRIBUTE a = {type, buf, size - 1};
    if (p11->C_GetAttributeValue(s, h, &a, 1) != CKR_OK)
        return -1;
    ((char *)buf)[a.ulValueLen] = 0;
    return (long)a.ulValueLen;
}

static void read_rules(void)
{
    char buf[64];
    CK_OBJECT_CLASS cls = 0;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CK_OBJECT_HANDLE h = data_create(s, 0, "app", "label-1", "secret value");
    CK_ATTRIBUTE t[3] = {
        {CKA_VALUE, NULL, 0}, {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_LABEL, buf, 3}};
    /* size query */
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, t, 1), CKR_OK);
    CU_ASSERT_EQUAL(t[0].ulValueLen, 12);
    /* every entry processed: too-small one marked, others filled */
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, t, 3), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(t[0].ulValueLen, 12);
    CU_ASSERT_EQUAL(cls, CKO_DATA);
    CU_ASSERT_EQUAL(t[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    /* an attribute the object does not have */
    CK_ATTRIBUTE bad[2] = {{CKA_MODULUS, NULL, 0}, {CKA_LABEL, NULL, 0}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, bad, 2),
                    CKR_ATTRIBUTE_TYPE_INVALID);
    CU_ASSERT_EQUAL(bad[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    CU_ASSERT_EQUAL(bad[1].ulValueLen, 7);
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, NULL, 1), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h + 1, t, 1),
                    CKR_OBJECT_HANDLE_INVALID);
    CU_ASSERT_EQUAL(attr(s, h, CKA_VALUE, buf, sizeof(buf)), 12);
    CU_ASSERT_STRING_EQUAL(buf, "secret value");
    CK_ULONG size = 0;
    CU_ASSERT_EQUAL(p11->C_GetObjectSize(s, h, &size), CKR_OK);
    CU_ASSERT(size > 12);
    CU_ASSERT_EQUAL(p11->C_GetObjectSize(s, h, NULL), CKR_ARGUMENTS_BAD);
    lib_fini();
}

static void create_errors(void)
{
    CK_OBJECT_HANDLE h;
    CK_ULONG four = 4;
    CK_BYTE two = 2;
    token_fresh(1);
    lib_init();
    CK_SESSION_HANDLE ro, rw;
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, RW, NULL, NULL, &rw), CKR_OK);
    CK_ATTRIBUTE no_class[] = {{CKA_LABEL, (void *)"x", 1}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, no_class, 1, &h),
                    CKR_TEMPLATE_INCOMPLETE);
    CK_ATTRIBUTE unknown[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)},
                              {0x7eadbeefUL, (void *)"x", 1}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, unknown, 2, &h),
                    CKR_ATTRIBUTE_TYPE_INVALID);
    CK_ATTRIBUTE badbool[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)},
                              {CKA_TOKEN, &four, sizeof(four)}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, badbool, 2, &h),
                    CKR_ATTRIBUTE_VALUE_INVALID);
    CK_ATTRIBUTE badbool2[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)},
                               {CKA_TOKEN, &two, 1}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, badbool2, 2, &h),
                    CKR_ATTRIBUTE_VALUE_INVALID);
    CK_ATTRIBUTE local[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)},
                            {CKA_MEECO_SLOT_ID, (void *)"x", 1}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, local, 2, &h),
                    CKR_ATTRIBUTE_READ_ONLY);
    CK_ATTRIBUTE keyattr[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)},
                              {CKA_ENCRYPT, &yes, 1}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, keyattr, 2, &h),
                    CKR_ATTRIBUTE_TYPE_INVALID);
    CK_ATTRIBUTE ok[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, ok, 1, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, NULL, 1, &h), CKR_ARGUMENTS_BAD);
    /* private (the data default) needs a login, token objects a R/W
     * session; a public session object needs neither */
    CU_ASSERT_EQUAL(p11->C_CreateObject(rw, ok, 1, &h), CKR_USER_NOT_LOGGED_IN);
    CK_ATTRIBUTE pub[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)},
                          {CKA_PRIVATE, &no, 1}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(ro, pub, 2, &h), CKR_OK);
    CK_ATTRIBUTE tok[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)},
                          {CKA_TOKEN, &yes, 1}};
    CU_ASSERT_EQUAL(p11->C_Login(ro, CKU_USER, PIN(USER_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_CreateObject(ro, tok, 2, &h), CKR_SESSION_READ_ONLY);
    lib_fini();
}

/* C_CreateObject of a token CKO_DATA adds a vault slot. */
static void token_data_mapping(void)
{
    char buf[256];
    token_fresh(1);
    lib_init();
    CK_SESSION_HANDLE s;
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, RW, NULL, NULL, &s), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, PIN(USER_PIN)), CKR_OK);
    CK_OBJECT_HANDLE h = data_create(s, 1, "wallet", "iban", "DE00 1234");
    CU_ASSERT_FATAL(h != CK_INVALID_HANDLE);
    CU_ASSERT_EQUAL(attr(s, h, CKA_APPLICATION, buf, sizeof(buf)), 6);
    CU_ASSERT_STRING_EQUAL(buf, "wallet");
    CU_ASSERT_EQUAL(attr(s, h, CKA_LABEL, buf, sizeof(buf)), 4);
    CU_ASSERT_STRING_EQUAL(buf, "iban");
    CU_ASSERT_EQUAL(attr(s, h, CKA_VALUE, buf, sizeof(buf)), 9);
    CU_ASSERT_STRING_EQUAL(buf, "DE00 1234");
    CU_ASSERT(attr(s, h, CKA_MEECO_ENCRYPTED_VALUE, buf, sizeof(buf)) > 10);
    CU_ASSERT(strncmp(buf, "Aes256Gcm.", 10) == 0);
    CU_ASSERT_PTR_NULL(strstr(buf, "DE00"));
    CU_ASSERT_EQUAL(attr(s, h, CKA_MEECO_SLOT_ID, buf, sizeof(buf)), 36);
    CU_ASSERT_EQUAL(attr(s, h, CKA_MEECO_ITEM_ID, buf, sizeof(buf)), 36);
    CU_ASSERT(attr(s, h, CKA_MEECO_SLOT_TYPE, buf, sizeof(buf)) > 0);
    CU_ASSERT_STRING_EQUAL(buf, "key_value");
    CK_BBOOL b = 0;
    CK_ATTRIBUTE tp[] = {{CKA_TOKEN, &b, 1}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, tp, 1), CKR_OK);
    CU_ASSERT_EQUAL(b, CK_TRUE);
    /* a second slot in the same item; a duplicate name is refused */
    CK_OBJECT_HANDLE h2 = data_create(s, 1, "wallet", "bic", "XYZ");
    char item1[64], item2[64];
    attr(s, h, CKA_MEECO_ITEM_ID, item1, sizeof(item1));
    attr(s, h2, CKA_MEECO_ITEM_ID, item2, sizeof(item2));
    CU_ASSERT_STRING_EQUAL(item1, item2);
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE dup[] = {{CKA_CLASS, &cls, sizeof(cls)},
                          {CKA_TOKEN, &yes, 1},
                          {CKA_APPLICATION, (void *)"wallet", 6},
                          {CKA_LABEL, (void *)"bic", 3}};
    CK_OBJECT_HANDLE h3;
    CU_ASSERT_EQUAL(p11->C_CreateObject(s, dup, 4, &h3),
                    CKR_TEMPLATE_INCONSISTENT);
    /* CKA_LABEL is the slot name: it must be a Vault name as given */
    CK_ATTRIBUTE odd[] = {{CKA_CLASS, &cls, sizeof(cls)},
                          {CKA_TOKEN, &yes, 1},
                          {CKA_LABEL, (void *)"My Label", 8}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(s, odd, 3, &h3),
                    CKR_ATTRIBUTE_VALUE_INVALID);
    lib_fini();
}

/* Token objects survive C_Finalize with the same handle; private ones
 * vanish on logout and come back on login. */
static void persistence_and_visibility(void)
{
    char buf[64];
    CK_ULONG n;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_OBJECT_HANDLE h = data_create(s, 1, "notes", "persist", "v1");
    CK_OBJECT_HANDLE hs = data_create(s, 0, "notes", "session-only", "v");
    lib_fini();

    s = session_open(1, 0);
    CK_ATTRIBUTE t[] = {{CKA_LABEL, (void *)"persist", 7}};
    CU_ASSERT_EQUAL(find_count(s, t, 1, NULL), 0);
    CU_ASSERT_EQUAL(attr(s, h, CKA_VALUE, buf, sizeof(buf)), -1);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, PIN(USER_PIN)), CKR_OK);
    CK_OBJECT_HANDLE found = 0;
    CU_ASSERT_EQUAL(find_count(s, t, 1, &found), 1);
    CU_ASSERT_EQUAL(found, h);
    CU_ASSERT_EQUAL(attr(s, h, CKA_VALUE, buf, sizeof(buf)), 2);
    CU_ASSERT_STRING_EQUAL(buf, "v1");
    CK_ATTRIBUTE t2[] = {{CKA_LABEL, (void *)"session-only", 12}};
    CU_ASSERT_EQUAL(find_count(s, t2, 1, NULL), 0);
    CU_ASSERT_EQUAL(attr(s, hs, CKA_VALUE, buf, sizeof(buf)), -1);
    CU_ASSERT_EQUAL(p11->C_Logout(s), CKR_OK);
    CU_ASSERT_EQUAL(attr(s, h, CKA_VALUE, buf, sizeof(buf)), -1);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, PIN(USER_PIN)), CKR_OK);
    n = find_count(s, t, 1, &found);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(found, h);
    lib_fini();
}

static void session_objects(void)
{
    char buf[32];
    token_fresh(1);
    CK_SESSION_HANDLE a = session_open(0, 1), b;
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &b),
                    CKR_OK);
    CK_OBJECT_HANDLE h = data_create(a, 0, "x", "mine", "1");
    /* visible from every session of the application */
    CU_ASSERT_EQUAL(attr(b, h, CKA_VALUE, buf, sizeof(buf)), 1);
    CU_ASSERT_EQUAL(p11->C_CloseSession(a), CKR_OK);
    CU_ASSERT_EQUAL(attr(b, h, CKA_VALUE, buf, sizeof(buf)), -1);
    lib_fini();
}

static void set_attributes(void)
{
    char buf[64];
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_OBJECT_HANDLE h = data_create(s, 1, "app", "slot1", "old");
    CK_ATTRIBUTE v[] = {{CKA_VALUE, (void *)"new value", 9}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, v, 1), CKR_OK);
    CK_ATTRIBUTE lbl[] = {{CKA_MEECO_SLOT_LABEL, (void *)"Slot One", 8}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, lbl, 1), CKR_OK);
    CK_ATTRIBUTE cls[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, cls, 1),
                    CKR_ATTRIBUTE_READ_ONLY);
    CK_ATTRIBUTE slotid[] = {{CKA_MEECO_SLOT_ID, (void *)"x", 1}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, slotid, 1),
                    CKR_ATTRIBUTE_READ_ONLY);
    CK_ATTRIBUTE mod[] = {{CKA_ENCRYPT, &yes, 1}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, mod, 1),
                    CKR_ATTRIBUTE_TYPE_INVALID);
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, NULL, 1), CKR_ARGUMENTS_BAD);
    lib_fini();
    s = session_open(0, 1);
    CU_ASSERT_EQUAL(attr(s, h, CKA_VALUE, buf, sizeof(buf)), 9);
    CU_ASSERT_STRING_EQUAL(buf, "new value");
    CU_ASSERT_EQUAL(attr(s, h, CKA_MEECO_SLOT_LABEL, buf, sizeof(buf)), 8);
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, v, 1), CKR_SESSION_READ_ONLY);
    /* session object: label change re-indexes */
    CK_OBJECT_HANDLE so = data_create(s, 0, "app", "before", "x");
    CK_ATTRIBUTE nl[] = {{CKA_LABEL, (void *)"after", 5}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, so, nl, 1), CKR_OK);
    CK_ATTRIBUTE fb[] = {{CKA_LABEL, (void *)"before", 6}};
    CU_ASSERT_EQUAL(find_count(s, fb, 1, NULL), 0);
    CU_ASSERT_EQUAL(find_count(s, nl, 1, NULL), 1);
    CK_ATTRIBUTE unmod[] = {{CKA_MODIFIABLE, &no, 1}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, so, unmod, 1), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, so, fb, 1),
                    CKR_ACTION_PROHIBITED);
    lib_fini();
}

static void copy_and_destroy(void)
{
    char buf[64];
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_OBJECT_HANDLE h = data_create(s, 1, "app", "orig", "payload");
    CK_OBJECT_HANDLE c = 0;
    CK_ATTRIBUTE t[] = {{CKA_TOKEN, &no, 1}, {CKA_LABEL, (void *)"copy", 4}};
    CU_ASSERT_EQUAL(p11->C_CopyObject(s, h, t, 2, &c), CKR_OK);
    CU_ASSERT_NOT_EQUAL(c, h);
    CU_ASSERT_EQUAL(attr(s, c, CKA_VALUE, buf, sizeof(buf)), 7);
    CU_ASSERT_EQUAL(attr(s, c, CKA_LABEL, buf, sizeof(buf)), 4);
    CU_ASSERT_EQUAL(p11->C_CopyObject(s, h, t, 2, NULL), CKR_ARGUMENTS_BAD);
    CK_ATTRIBUTE bad[] = {{CKA_CLASS, &data_cls, sizeof(data_cls)}};
    CU_ASSERT_EQUAL(p11->C_CopyObject(s, h, bad, 1, &c),
                    CKR_ATTRIBUTE_READ_ONLY);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, c), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, c), CKR_OBJECT_HANDLE_INVALID);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, h), CKR_OK);
    CU_ASSERT_EQUAL(attr(s, h, CKA_VALUE, buf, sizeof(buf)), -1);
    lib_fini();
    s = session_open(1, 1);
    CK_ATTRIBUTE f[] = {{CKA_LABEL, (void *)"orig", 4}};
    CU_ASSERT_EQUAL(find_count(s, f, 1, NULL), 0);
    lib_fini();
}

static void account_keys(void)
{
    CK_BYTE id1[32], id2[32], mod[600], val[64];
    CK_BBOOL ext = 1, sens = 0;
    CK_KEY_TYPE kt = 0;
    CK_ULONG len = 0;
    CK_OBJECT_CLASS sk = CKO_SECRET_KEY, priv = CKO_PRIVATE_KEY,
                    pub = CKO_PUBLIC_KEY;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 0);
    CK_ATTRIBUTE tpub[] = {{CKA_CLASS, &pub, sizeof(pub)}};
    CK_ATTRIBUTE tpriv[] = {{CKA_CLASS, &priv, sizeof(priv)}};
    CK_ATTRIBUTE tsk[] = {{CKA_CLASS, &sk, sizeof(sk)}};
    CK_OBJECT_HANDLE hpub = 0, hpriv = 0;
    CU_ASSERT_EQUAL(find_count(s, tpub, 1, &hpub), 1);
    CU_ASSERT_EQUAL(find_count(s, tpriv, 1, NULL), 0);
    CU_ASSERT_EQUAL(find_count(s, tsk, 1, NULL), 0);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, PIN(USER_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(find_count(s, tpriv, 1, &hpriv), 1);
    CU_ASSERT_EQUAL(find_count(s, tsk, 1, NULL), 2); /* KEK + private DEK */
    CK_ATTRIBUTE a1[] = {{CKA_ID, id1, sizeof(id1)},
                         {CKA_MODULUS, mod, sizeof(mod)}};
    CK_ATTRIBUTE a2[] = {{CKA_ID, id2, sizeof(id2)}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, hpriv, a1, 2), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, hpub, a2, 1), CKR_OK);
    CU_ASSERT_EQUAL(a1[0].ulValueLen, 16);
    CU_ASSERT_EQUAL(a2[0].ulValueLen, 16);
    CU_ASSERT(memcmp(id1, id2, 16) == 0);
    CU_ASSERT_EQUAL(a1[1].ulValueLen, 512);
    CK_ATTRIBUTE spki[] = {{CKA_PUBLIC_KEY_INFO, NULL, 0},
                           {CKA_PUBLIC_EXPONENT, NULL, 0}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, hpub, spki, 2), CKR_OK);
    CU_ASSERT(spki[0].ulValueLen > 512);
    CK_ATTRIBUTE secret[] = {{CKA_PRIVATE_EXPONENT, NULL, 0}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, hpriv, secret, 1),
                    CKR_ATTRIBUTE_SENSITIVE);
    /* the KEK: AES-256, sensitive, never extractable, not destroyable */
    CK_ATTRIBUTE fk[] = {{CKA_CLASS, &sk, sizeof(sk)},
                         {CKA_MEECO_KEY_ROLE, (void *)"kek", 3}};
    CK_OBJECT_HANDLE kek = 0;
    CU_ASSERT_EQUAL(find_count(s, fk, 2, &kek), 1);
    CK_ATTRIBUTE ka[] = {{CKA_KEY_TYPE, &kt, sizeof(kt)},
                         {CKA_VALUE_LEN, &len, sizeof(len)},
                         {CKA_EXTRACTABLE, &ext, 1},
                         {CKA_SENSITIVE, &sens, 1}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, kek, ka, 4), CKR_OK);
    CU_ASSERT_EQUAL(kt, CKK_AES);
    CU_ASSERT_EQUAL(len, 32);
    CU_ASSERT_EQUAL(ext, CK_FALSE);
    CU_ASSERT_EQUAL(sens, CK_TRUE);
    CK_ATTRIBUTE v[] = {{CKA_VALUE, val, sizeof(val)}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, kek, v, 1),
                    CKR_ATTRIBUTE_SENSITIVE);
    CU_ASSERT_EQUAL(v[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, kek), CKR_ACTION_PROHIBITED);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, hpriv), CKR_ACTION_PROHIBITED);
    CK_OBJECT_HANDLE c;
    CU_ASSERT_EQUAL(p11->C_CopyObject(s, kek, NULL, 0, &c),
                    CKR_ACTION_PROHIBITED);
    CK_ATTRIBUTE kl[] = {{CKA_LABEL, (void *)"x", 1}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, kek, kl, 1),
                    CKR_ATTRIBUTE_READ_ONLY);
    lib_fini();
    /* a token object cannot be destroyed from a read-only session; the
     * private DEK cannot be destroyed at all */
    s = session_open(1, 1);
    CK_OBJECT_HANDLE d = data_create(s, 1, "app", "doomed", "x");
    CK_SESSION_HANDLE ro;
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(ro, d), CKR_SESSION_READ_ONLY);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, d), CKR_OK);
    CK_ATTRIBUTE fd[] = {{CKA_CLASS, &sk, sizeof(sk)},
                         {CKA_MEECO_KEY_ROLE, (void *)"dek", 3}};
    CK_OBJECT_HANDLE dek = 0;
    CU_ASSERT_EQUAL(find_count(s, fd, 2, &dek), 1);
    CU_ASSERT_EQUAL(p11->C_DestroyObject(s, dek), CKR_ACTION_PROHIBITED);
    lib_fini();
}

static void secret_key_objects(void)
{
    CK_OBJECT_CLASS sk = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_BYTE key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    CK_BYTE out[32];
    CK_OBJECT_HANDLE h;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 1);
    CK_ATTRIBUTE open_key[] = {{CKA_CLASS, &sk, sizeof(sk)},
                               {CKA_KEY_TYPE, &aes, sizeof(aes)},
                               {CKA_SENSITIVE, &no, 1},
                               {CKA_VALUE, key, sizeof(key)}};
    CU_ASSERT_EQUAL_FATAL(p11->C_CreateObject(s, open_key, 4, &h), CKR_OK);
    CK_ATTRIBUTE v[] = {{CKA_VALUE, out, sizeof(out)}};
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, v, 1), CKR_OK);
    CU_ASSERT_EQUAL(v[0].ulValueLen, 16);
    CU_ASSERT(memcmp(out, key, 16) == 0);
    /* CKA_SENSITIVE may only become TRUE, then the value is hidden */
    CK_ATTRIBUTE mk[] = {{CKA_SENSITIVE, &yes, 1}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, mk, 1), CKR_OK);
    CK_ATTRIBUTE back[] = {{CKA_SENSITIVE, &no, 1}};
    CU_ASSERT_EQUAL(p11->C_SetAttributeValue(s, h, back, 1),
                    CKR_ATTRIBUTE_READ_ONLY);
    CU_ASSERT_EQUAL(p11->C_GetAttributeValue(s, h, v, 1),
                    CKR_ATTRIBUTE_SENSITIVE);
    CK_ATTRIBUTE no_type[] = {{CKA_CLASS, &sk, sizeof(sk)},
                              {CKA_VALUE, key, sizeof(key)}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(s, no_type, 2, &h),
                    CKR_TEMPLATE_INCOMPLETE);
    CK_ATTRIBUTE bad_len[] = {{CKA_CLASS, &sk, sizeof(sk)},
                              {CKA_KEY_TYPE, &aes, sizeof(aes)},
                              {CKA_VALUE, key, 15}};
    CU_ASSERT_EQUAL(p11->C_CreateObject(s, bad_len, 3, &h),
                    CKR_ATTRIBUTE_VALUE_INVALID);
    lib_fini();
}

int suite_object(void)
{
    CU_pSuite s = CU_add_suite("object", NULL, NULL);
    if (s == NULL)
        return -1;
    ADD(s, read_rules);
    ADD(s, create_errors);
    ADD(s, token_data_mapping);
    ADD(s, persistence_and_visibility);
    ADD(s, session_objects);
    ADD(s, set_attributes);
    ADD(s, copy_and_destroy);
    ADD(s, account_keys);
    ADD(s, secret_key_objects);
    return 0;
}
