/* bench/remote/server_proc.c - start and stop meeco-server. */
#include "server_proc.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static unsigned read_port(const char *path)
{
    unsigned port = 0;
    FILE *f = fopen(path, "r");

    if (!f)
        return 0;
    if (fscanf(f, "%u", &port) != 1)
        port = 0;
    fclose(f);
    return port;
}

static int spawn(server_proc *sp, const char *bin)
{
    char db[300], port_file[300], log[300], prog[300];
    char o_listen[] = "--listen", listen[] = "127.0.0.1:0", o_db[] = "--db";
    char o_port[] = "--port-file", o_log[] = "--access-log", off[] = "off";
    char o_attempts[] = "--login-attempts", zero[] = "0";
    char *argv[] = {prog,      o_listen, listen, o_db,       db,   o_port,
                    port_file, o_log,    off,    o_attempts, zero, NULL};
    posix_spawn_file_actions_t fa;
    int rc;

    snprintf(prog, sizeof(prog), "%s", bin);
    snprintf(db, sizeof(db), "%s/server.db", sp->dir);
    snprintf(port_file, sizeof(port_file), "%s/port", sp->dir);
    snprintf(log, sizeof(log), "%s/server.log", sp->dir);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, log,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    rc = posix_spawn(&sp->pid, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "cannot start %s: %s\n", bin, strerror(rc));
        sp->pid = 0;
        return -1;
    }
    return 0;
}

int server_proc_start(server_proc *sp, const char *bin)
{
    char port_file[300];
    int status;

    memset(sp, 0, sizeof(*sp));
    snprintf(sp->dir, sizeof(sp->dir), "/tmp/meeco-bench-remote-XXXXXX");
    if (!mkdtemp(sp->dir) || spawn(sp, bin) != 0)
        return -1;
    snprintf(port_file, sizeof(port_file), "%s/port", sp->dir);
    for (int i = 0; i < 600 && sp->port == 0; i++) {
        if (waitpid(sp->pid, &status, WNOHANG) == sp->pid) {
            fprintf(stderr, "meeco-server exited (see %s/server.log)\n",
                    sp->dir);
            sp->pid = 0;
            return -1;
        }
        usleep(50000);
        sp->port = read_port(port_file);
    }
    if (sp->port == 0) {
        fprintf(stderr, "meeco-server wrote no port file\n");
        return -1;
    }
    snprintf(sp->base_url, sizeof(sp->base_url), "http://127.0.0.1:%u",
             sp->port);
    return 0;
}

void server_proc_stop(server_proc *sp)
{
    char cmd[300];

    if (sp->pid > 0) {
        kill(sp->pid, SIGTERM);
        waitpid(sp->pid, NULL, 0);
        sp->pid = 0;
    }
    if (sp->dir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sp->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", sp->dir);
        sp->dir[0] = '\0';
    }
}
