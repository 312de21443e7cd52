/* tools/cryppo/io.c - binary-safe file and stream I/O, error printing. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("cryppo: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_cryppo_error(const char *what, cryppo_status st)
{
    cli_error("%s: %s", what, cryppo_strerror(st));
    return CLI_FAIL;
}

/* Grow b to hold at least need bytes; the old block is wiped. */
static int grow(secbuf *b, size_t used, size_t need)
{
    secbuf bigger;
    size_t cap = b->len ? b->len : READ_CHUNK;

    while (cap < need)
        cap *= 2;
    if (cap == b->len)
        return 0;
    if (secbuf_alloc(&bigger, cap) != 0)
        return -1;
    if (used)
        memcpy(bigger.p, b->p, used);
    secbuf_free(b);
    *b = bigger;
    return 0;
}

static int read_fd(int fd, secbuf *out)
{
    secbuf buf = {NULL, 0};
    size_t used = 0;
    ssize_t n;

    for (;;) {
        if (grow(&buf, used, used + READ_CHUNK) != 0) {
            errno = ENOMEM;
            goto fail;
        }
        n = read(fd, buf.p + used, buf.len - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        used += (size_t)n;
    }
    /* Shrink to the exact size so that len is the data length. */
    if (secbuf_dup(out, buf.p, used) != 0) {
        errno = ENOMEM;
        goto fail;
    }
    secbuf_free(&buf);
    return 0;
fail:
    secbuf_free(&buf);
    return -1;
}

int cli_input_read(const char *path, secbuf *out)
{
    int fd = STDIN_FILENO;
    int rc;

    if (strcmp(path, "-") != 0) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            cli_error("cannot open %s: %s", path, strerror(errno));
            return -1;
        }
    }
    rc = read_fd(fd, out);
    if (rc != 0)
        cli_error("cannot read %s: %s",
                  fd == STDIN_FILENO ? "standard input" : path,
                  strerror(errno));
    if (fd != STDIN_FILENO)
        close(fd);
    return rc;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int cli_output_write(const char *path, const void *p, size_t len, unsigned mode)
{
    int fd = STDOUT_FILENO;
    int rc;

    if (strcmp(path, "-") == 0) {
        fflush(stdout);
    } else {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
        if (fd < 0) {
            cli_error("cannot create %s: %s", path, strerror(errno));
            return -1;
        }
    }
    rc = write_all(fd, p, len);
    if (fd != STDOUT_FILENO && close(fd) != 0)
        rc = -1;
    if (rc != 0)
        cli_error("cannot write %s: %s",
                  fd == STDOUT_FILENO ? "standard output" : path,
                  strerror(errno));
    return rc;
}

int cli_stdout_line(const void *p, size_t len)
{
    if ((len && fwrite(p, 1, len, stdout) != len) ||
        fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
        cli_error("cannot write standard output: %s", strerror(errno));
        return -1;
    }
    return 0;
}

void cli_trim_end(secbuf *b)
{
    while (b->len > 0 && memchr(" \t\r\n", b->p[b->len - 1], 4) != NULL)
        b->p[--b->len] = '\0';
}
