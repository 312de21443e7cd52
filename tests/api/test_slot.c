/* tests/api/test_slot.c - slots, token info, mechanisms, C_InitToken,
 * C_InitPIN, C_SetPIN. */
#include <string.h>

#include "support.h"

#define PIN(p) (CK_UTF8CHAR_PTR)(p), strlen(p)

static void slot_list(void)
{
    CK_SLOT_ID list[4];
    CK_ULONG n = 0;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_GetSlotList(CK_FALSE, NULL, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 1);
    n = 0;
    CU_ASSERT_EQUAL(p11->C_GetSlotList(CK_TRUE, list, &n), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(n, 1);
    n = 4;
    CU_ASSERT_EQUAL(p11->C_GetSlotList(CK_FALSE, list, &n), CKR_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(list[0], 0);
    lib_fini();
}

static void slot_info(void)
{
    CK_SLOT_INFO si;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_GetSlotInfo(0, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetSlotInfo(7, &si), CKR_SLOT_ID_INVALID);
    CU_ASSERT_EQUAL(p11->C_GetSlotInfo(0, &si), CKR_OK);
    CU_ASSERT(si.flags & CKF_TOKEN_PRESENT);
    CU_ASSERT_FALSE(si.flags & CKF_REMOVABLE_DEVICE);
    lib_fini();
}

static void token_info(void)
{
    CK_TOKEN_INFO ti;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(1, 0);
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(0, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(3, &ti), CKR_SLOT_ID_INVALID);
    CU_ASSERT_EQUAL_FATAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT(memcmp(ti.label, TOKEN_LABEL, strlen(TOKEN_LABEL)) == 0);
    CU_ASSERT_EQUAL(ti.label[strlen(TOKEN_LABEL)], ' ');
    CU_ASSERT(ti.flags & CKF_RNG);
    CU_ASSERT(ti.flags & CKF_LOGIN_REQUIRED);
    CU_ASSERT(ti.flags & CKF_USER_PIN_INITIALIZED);
    CU_ASSERT(ti.flags & CKF_TOKEN_INITIALIZED);
    CU_ASSERT_FALSE(ti.flags & CKF_WRITE_PROTECTED);
    CU_ASSERT_EQUAL(ti.ulSessionCount, 1);
    CU_ASSERT_EQUAL(ti.ulRwSessionCount, 1);
    CU_ASSERT(ti.ulMinPinLen >= 1 && ti.ulMinPinLen <= ti.ulMaxPinLen);
    (void)s;
    lib_fini();
}

static void mechanisms(void)
{
    CK_MECHANISM_TYPE list[128];
    CK_MECHANISM_INFO mi;
    CK_ULONG n = 0;
    int aes = 0, rsa = 0;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_GetMechanismList(0, NULL, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetMechanismList(5, NULL, &n), CKR_SLOT_ID_INVALID);
    CU_ASSERT_EQUAL_FATAL(p11->C_GetMechanismList(0, NULL, &n), CKR_OK);
    CU_ASSERT_FATAL(n > 2 && n <= 128);
    CK_ULONG total = n;
    n = 1;
    CU_ASSERT_EQUAL(p11->C_GetMechanismList(0, list, &n), CKR_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(n, total);
    n = 128;
    CU_ASSERT_EQUAL(p11->C_GetMechanismList(0, list, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        aes += list[i] == CKM_AES_KEY_GEN;
        rsa += list[i] == CKM_RSA_PKCS;
    }
    CU_ASSERT_EQUAL(aes, 1);
    CU_ASSERT_EQUAL(rsa, 1);
    CU_ASSERT_EQUAL(p11->C_GetMechanismInfo(0, CKM_AES_KEY_GEN, NULL),
                    CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetMechanismInfo(0, CKM_AES_KEY_GEN, &mi), CKR_OK);
    CU_ASSERT(mi.flags & CKF_GENERATE);
    CU_ASSERT_EQUAL(p11->C_GetMechanismInfo(0, 0x7ffffff0UL, &mi),
                    CKR_MECHANISM_INVALID);
    lib_fini();
}

static void wait_for_event(void)
{
    CK_SLOT_ID slot;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL),
                    CKR_NO_EVENT);
    CU_ASSERT_EQUAL(p11->C_WaitForSlotEvent(CKF_DONT_BLOCK, NULL, NULL),
                    CKR_ARGUMENTS_BAD);
    lib_fini();
}

/* An empty token through C_InitToken, SO login, C_InitPIN. */
static void init_token_and_pin(void)
{
    CK_TOKEN_INFO ti;
    CK_SESSION_HANDLE s, ro;
    CK_UTF8CHAR label[32];
    memset(label, ' ', 32);
    memcpy(label, "fresh", 5);
    token_fresh(0);
    lib_init();
    CU_ASSERT_EQUAL_FATAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT_FALSE(ti.flags & CKF_TOKEN_INITIALIZED);
    CU_ASSERT_FALSE(ti.flags & CKF_USER_PIN_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_InitToken(0, PIN(SO_PIN), NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_InitToken(9, PIN(SO_PIN), label),
                    CKR_SLOT_ID_INVALID);
    CU_ASSERT_EQUAL_FATAL(p11->C_InitToken(0, PIN(SO_PIN), label), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT(ti.flags & CKF_TOKEN_INITIALIZED);
    CU_ASSERT_FALSE(ti.flags & CKF_USER_PIN_INITIALIZED);
    CU_ASSERT(memcmp(ti.label, label, 32) == 0);

    CU_ASSERT_EQUAL_FATAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION |
                                                    CKF_RW_SESSION,
                                             NULL, NULL, &s),
                          CKR_OK);
    CU_ASSERT_EQUAL(p11->C_InitToken(0, PIN(SO_PIN), label),
                    CKR_SESSION_EXISTS);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, PIN(USER_PIN)),
                    CKR_USER_PIN_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_InitPIN(s, PIN(USER_PIN)), CKR_USER_NOT_LOGGED_IN);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_SO, PIN("wrong-so-pin")),
                    CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL_FATAL(p11->C_Login(s, CKU_SO, PIN(SO_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro),
                    CKR_SESSION_READ_WRITE_SO_EXISTS);
    CU_ASSERT_EQUAL(p11->C_InitPIN(s, PIN("abc")), CKR_PIN_LEN_RANGE);
    CU_ASSERT_EQUAL(p11->C_InitPIN(s, PIN(USER_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Logout(s), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT(ti.flags & CKF_USER_PIN_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_Login(s, CKU_USER, PIN(USER_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_CloseSession(s), CKR_OK);

    /* re-initialization needs the right SO PIN and erases the account */
    CU_ASSERT_EQUAL(p11->C_InitToken(0, PIN("not-the-so-pin"), label),
                    CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(p11->C_InitToken(0, PIN(SO_PIN), label), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_GetTokenInfo(0, &ti), CKR_OK);
    CU_ASSERT_FALSE(ti.flags & CKF_USER_PIN_INITIALIZED);
    lib_fini();
}

static void set_pin(void)
{
    CK_SESSION_HANDLE ro, rw;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_SetPIN(ro, PIN(USER_PIN), PIN("new-pin-1")),
                    CKR_SESSION_READ_ONLY);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION,
                                       NULL, NULL, &rw),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_SetPIN(rw, PIN("wrong-old"), PIN("new-pin-1")),
                    CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(p11->C_SetPIN(rw, PIN(USER_PIN), PIN("x")),
                    CKR_PIN_LEN_RANGE);
    CU_ASSERT_EQUAL(p11->C_SetPIN(rw, NULL, 3, PIN("new-pin-1")),
                    CKR_ARGUMENTS_BAD);
    /* not logged in: changes the user PIN */
    CU_ASSERT_EQUAL(p11->C_SetPIN(rw, PIN(USER_PIN), PIN("new-pin-1")), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Login(rw, CKU_USER, PIN(USER_PIN)),
                    CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(p11->C_Login(rw, CKU_USER, PIN("new-pin-1")), CKR_OK);
    /* logged in: the user's own PIN */
    CU_ASSERT_EQUAL(p11->C_SetPIN(rw, PIN("new-pin-1"), PIN(USER_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Logout(rw), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Login(rw, CKU_USER, PIN(USER_PIN)), CKR_OK);
    lib_fini();
}

static void so_set_pin(void)
{
    CK_SESSION_HANDLE rw;
    CK_UTF8CHAR label[32];
    memset(label, ' ', 32);
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION,
                                       NULL, NULL, &rw),
                    CKR_OK);
    CU_ASSERT_EQUAL_FATAL(p11->C_Login(rw, CKU_SO, PIN(SO_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_SetPIN(rw, PIN(SO_PIN), PIN("new-so-pin")), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_CloseSession(rw), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_InitToken(0, PIN(SO_PIN), label), CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(p11->C_InitToken(0, PIN("new-so-pin"), label), CKR_OK);
    lib_fini();
}

int suite_slot(void)
{
    CU_pSuite s = CU_add_suite("slot", NULL, NULL);
    if (s == NULL)
        return -1;
    ADD(s, slot_list);
    ADD(s, slot_info);
    ADD(s, token_info);
    ADD(s, mechanisms);
    ADD(s, wait_for_event);
    ADD(s, init_token_and_pin);
    ADD(s, set_pin);
    ADD(s, so_set_pin);
    return 0;
}
