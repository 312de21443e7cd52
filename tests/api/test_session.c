/* tests/api/test_session.c - sessions, states and the login rules. */
#include <string.h>

#include "support.h"

#define PIN(p) (CK_UTF8CHAR_PTR)(p), strlen(p)
#define RW (CKF_SERIAL_SESSION | CKF_RW_SESSION)

static CK_STATE state_of(CK_SESSION_HANDLE s)
{
    CK_SESSION_INFO si = {0};
    CU_ASSERT_EQUAL(p11->C_GetSessionInfo(s, &si), CKR_OK);
    return si.state;
}

static void open_close(void)
{
    CK_SESSION_HANDLE a, b;
    CK_SESSION_INFO si;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, 0, NULL, NULL, &a),
                    CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, NULL),
                    CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_OpenSession(4, CKF_SERIAL_SESSION, NULL, NULL, &a),
                    CKR_SLOT_ID_INVALID);
    CU_ASSERT_EQUAL_FATAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL,
                                             &a),
                          CKR_OK);
    CU_ASSERT_EQUAL_FATAL(p11->C_OpenSession(0, RW, NULL, NULL, &b), CKR_OK);
    CU_ASSERT_NOT_EQUAL(a, b);
    CU_ASSERT_EQUAL(p11->C_GetSessionInfo(a, NULL), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_GetSessionInfo(a, &si), CKR_OK);
    CU_ASSERT_EQUAL(si.slotID, 0);
    CU_ASSERT_EQUAL(si.flags, CKF_SERIAL_SESSION);
    CU_ASSERT_EQUAL(state_of(a), CKS_RO_PUBLIC_SESSION);
    CU_ASSERT_EQUAL(state_of(b), CKS_RW_PUBLIC_SESSION);
    CU_ASSERT_EQUAL(p11->C_CloseSession(a), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_CloseSession(a), CKR_SESSION_HANDLE_INVALID);
    CU_ASSERT_EQUAL(p11->C_GetSessionInfo(a, &si), CKR_SESSION_HANDLE_INVALID);
    CU_ASSERT_EQUAL(p11->C_CloseSession(0), CKR_SESSION_HANDLE_INVALID);
    CU_ASSERT_EQUAL(p11->C_CloseSession(0x7fffffffUL),
                    CKR_SESSION_HANDLE_INVALID);
    /* a new session never reuses the stale handle */
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &a),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_CloseAllSessions(3), CKR_SLOT_ID_INVALID);
    CU_ASSERT_EQUAL(p11->C_CloseAllSessions(0), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_CloseSession(b), CKR_SESSION_HANDLE_INVALID);
    lib_fini();
}

static void user_login_states(void)
{
    CK_SESSION_HANDLE ro, rw;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro),
                    CKR_OK);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, RW, NULL, NULL, &rw), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Logout(ro), CKR_USER_NOT_LOGGED_IN);
    CU_ASSERT_EQUAL(p11->C_Login(ro, 7, PIN(USER_PIN)), CKR_USER_TYPE_INVALID);
    CU_ASSERT_EQUAL(p11->C_Login(ro, CKU_USER, NULL, 4), CKR_ARGUMENTS_BAD);
    CU_ASSERT_EQUAL(p11->C_Login(ro, CKU_USER, PIN("wrong pin")),
                    CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL(p11->C_Login(ro, CKU_CONTEXT_SPECIFIC, PIN(USER_PIN)),
                    CKR_USER_NOT_LOGGED_IN);
    CU_ASSERT_EQUAL(p11->C_Login(ro, CKU_SO, PIN(SO_PIN)),
                    CKR_SESSION_READ_ONLY_EXISTS);
    CU_ASSERT_EQUAL_FATAL(p11->C_Login(ro, CKU_USER, PIN(USER_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(state_of(ro), CKS_RO_USER_FUNCTIONS);
    CU_ASSERT_EQUAL(state_of(rw), CKS_RW_USER_FUNCTIONS);
    CU_ASSERT_EQUAL(p11->C_Login(rw, CKU_USER, PIN(USER_PIN)),
                    CKR_USER_ALREADY_LOGGED_IN);
    CU_ASSERT_EQUAL(p11->C_Login(rw, CKU_SO, PIN(SO_PIN)),
                    CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
    CU_ASSERT_EQUAL(p11->C_Login(rw, CKU_CONTEXT_SPECIFIC, PIN(USER_PIN)),
                    CKR_OPERATION_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(p11->C_Logout(rw), CKR_OK);
    CU_ASSERT_EQUAL(state_of(ro), CKS_RO_PUBLIC_SESSION);
    CU_ASSERT_EQUAL(p11->C_Logout(rw), CKR_USER_NOT_LOGGED_IN);
    /* 3.0 C_LoginUser (no user names: the name is ignored) */
    CU_ASSERT_EQUAL(p11v3->C_LoginUser(rw, CKU_USER, PIN(USER_PIN),
                                       (CK_UTF8CHAR_PTR) "alice", 5),
                    CKR_OK);
    CU_ASSERT_EQUAL(state_of(rw), CKS_RW_USER_FUNCTIONS);
    lib_fini();
}

static void so_login_states(void)
{
    CK_SESSION_HANDLE rw, ro;
    token_fresh(1);
    lib_init();
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, RW, NULL, NULL, &rw), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_Login(rw, CKU_SO, PIN("bad-so-pin")),
                    CKR_PIN_INCORRECT);
    CU_ASSERT_EQUAL_FATAL(p11->C_Login(rw, CKU_SO, PIN(SO_PIN)), CKR_OK);
    CU_ASSERT_EQUAL(state_of(rw), CKS_RW_SO_FUNCTIONS);
    CU_ASSERT_EQUAL(p11->C_Login(rw, CKU_USER, PIN(USER_PIN)),
                    CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro),
                    CKR_SESSION_READ_WRITE_SO_EXISTS);
    CU_ASSERT_EQUAL(p11->C_Logout(rw), CKR_OK);
    CU_ASSERT_EQUAL(state_of(rw), CKS_RW_PUBLIC_SESSION);
    lib_fini();
}

/* Closing the last session logs the user out (spec 5.6, C_CloseSession). */
static void last_close_logs_out(void)
{
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 1);
    CU_ASSERT_EQUAL(state_of(s), CKS_RO_USER_FUNCTIONS);
    CU_ASSERT_EQUAL(p11->C_CloseSession(s), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s),
                    CKR_OK);
    CU_ASSERT_EQUAL(state_of(s), CKS_RO_PUBLIC_SESSION);
    lib_fini();
}

static void unsupported_and_cancel(void)
{
    CK_ULONG len = 0;
    CK_OBJECT_HANDLE h[2];
    CK_ULONG n = 0;
    token_fresh(1);
    CK_SESSION_HANDLE s = session_open(0, 0);
    CU_ASSERT_EQUAL(p11->C_GetOperationState(s, NULL, &len),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_SetOperationState(s, NULL, 0, 0, 0),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11->C_GetFunctionStatus(s), CKR_FUNCTION_NOT_PARALLEL);
    CU_ASSERT_EQUAL(p11->C_CancelFunction(s), CKR_FUNCTION_NOT_PARALLEL);
    CU_ASSERT_EQUAL(p11v3->C_MessageEncryptInit(s, NULL, 0),
                    CKR_FUNCTION_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(p11v3->C_MessageEncryptFinal(99),
                    CKR_SESSION_HANDLE_INVALID);
    CU_ASSERT_EQUAL(p11->C_FindObjectsInit(s, NULL, 0), CKR_OK);
    CU_ASSERT_EQUAL(p11v3->C_SessionCancel(s, CKF_FIND_OBJECTS), CKR_OK);
    CU_ASSERT_EQUAL(p11->C_FindObjects(s, h, 2, &n),
                    CKR_OPERATION_NOT_INITIALIZED);
    lib_fini();
}

int suite_session(void)
{
    CU_pSuite s = CU_add_suite("session", NULL, NULL);
    if (s == NULL)
        return -1;
    ADD(s, open_close);
    ADD(s, user_login_states);
    ADD(s, so_login_states);
    ADD(s, last_close_logs_out);
    ADD(s, unsupported_and_cancel);
    return 0;
}
