/* bench/remote/server_proc.h - meeco-server as a child process on a free
 * loopback port with a database in a temporary directory. */
#ifndef BENCH_REMOTE_SERVER_PROC_H
#define BENCH_REMOTE_SERVER_PROC_H

#include <sys/types.h>

typedef struct server_proc {
    pid_t pid;
    unsigned port;
    char dir[256];     /* temporary directory (database, port file) */
    char base_url[64]; /* http://127.0.0.1:PORT */
} server_proc;

/* Start `bin` and wait (up to 30 s) for its port file.  0 on success. */
int server_proc_start(server_proc *sp, const char *bin);

/* SIGTERM, wait, remove the temporary directory. */
void server_proc_stop(server_proc *sp);

#endif /* BENCH_REMOTE_SERVER_PROC_H */
