/* cryppo/yaml_legacy.c - read (never write) legacy YAML artefacts.
 *
 * cryppo-js 2.0.2 still reads artefacts that older Ruby and JS versions
 * wrote as YAML.  Only the flat mappings those writers produce are
 * understood (protocol doc 1.5):
 *
 *   ---\n
 *   key: value\n               key bare, 'single' or "double" quoted
 *   key: !binary |-\n          or !!binary; standard base64 on the
 *     BASE64\n                 indented lines that follow (or inline)
 *
 * Scalars are plain text ('' and "" for empty), all digits = integer.
 * An empty mapping may also be written "{}" (cryppo-js' RSA artefacts).
 * Binary values are decoded in place inside the caller's buffer, so the
 * resulting cryppo_field views point into it.
 */
#include "internal.h"

#include <string.h>

typedef struct yaml_cursor {
    uint8_t *buf;
    size_t pos, len;
} yaml_cursor;

static int at_eol(const yaml_cursor *c)
{
    return c->pos >= c->len || c->buf[c->pos] == '\n';
}

static void skip_spaces(yaml_cursor *c)
{
    while (c->pos < c->len && c->buf[c->pos] == ' ')
        c->pos++;
}

static int skip_literal(yaml_cursor *c, const char *lit)
{
    size_t n = strlen(lit);

    if (c->len - c->pos < n || memcmp(c->buf + c->pos, lit, n) != 0)
        return 0;
    c->pos += n;
    return 1;
}

/* Rest of the line (trailing spaces trimmed); cursor ends after '\n'. */
static void line_rest(yaml_cursor *c, const uint8_t **p, size_t *n)
{
    size_t start = c->pos, end;

    while (!at_eol(c))
        c->pos++;
    end = c->pos;
    while (end > start && c->buf[end - 1] == ' ')
        end--;
    *p = c->buf + start;
    *n = end - start;
    if (c->pos < c->len)
        c->pos++;
}

static cryppo_status key_read(yaml_cursor *c, const char **key, size_t *n)
{
    size_t start;
    uint8_t quote = c->buf[c->pos];

    if (quote == '\'' || quote == '"') {
        start = ++c->pos;
        while (c->pos < c->len && c->buf[c->pos] != quote &&
               c->buf[c->pos] != '\n')
            c->pos++;
        if (c->pos >= c->len || c->buf[c->pos] != quote)
            return CRYPPO_ERR_ARTEFACTS;
        *key = (const char *)c->buf + start;
        *n = c->pos++ - start;
    } else {
        start = c->pos;
        while (c->pos < c->len && c->buf[c->pos] != ':' && !at_eol(c))
            c->pos++;
        *key = (const char *)c->buf + start;
        *n = c->pos - start;
    }
    if (*n == 0 || !skip_literal(c, ":"))
        return CRYPPO_ERR_ARTEFACTS;
    return CRYPPO_OK;
}

/* Gather base64 text (inline, or on the indented lines that follow)
 * into one run starting at the first character, then decode it there. */
static cryppo_status binary_read(yaml_cursor *c, cryppo_field *f)
{
    const uint8_t *p;
    size_t n, start, w;
    cryppo_status st;

    skip_spaces(c);
    if (!skip_literal(c, "|-") && !skip_literal(c, "|+"))
        (void)skip_literal(c, "|");
    skip_spaces(c);
    line_rest(c, &p, &n);
    start = (size_t)(p - c->buf);
    w = start + n;
    if (n == 0) { /* block: indented continuation lines */
        while (c->pos < c->len && c->buf[c->pos] == ' ') {
            skip_spaces(c);
            line_rest(c, &p, &n);
            memmove(c->buf + w, p, n);
            w += n;
        }
    }
    st = cryppo_b64_decode_raw((const char *)c->buf + start, w - start,
                               CRYPPO_B64_STD, c->buf + start, &n);
    if (st != CRYPPO_OK)
        return CRYPPO_ERR_ARTEFACTS;
    *f = (cryppo_field){CRYPPO_FIELD_BYTES, c->buf + start, n, 0};
    return CRYPPO_OK;
}

static int all_digits(const uint8_t *p, size_t n)
{
    size_t k = (n > 0 && p[0] == '-') ? 1 : 0;

    if (n <= k || n - k > 18)
        return 0;
    for (; k < n; k++)
        if (p[k] < '0' || p[k] > '9')
            return 0;
    return 1;
}

static void scalar_read(yaml_cursor *c, cryppo_field *f)
{
    const uint8_t *p;
    size_t n;
    int64_t v = 0;

    line_rest(c, &p, &n);
    if (n >= 2 && (p[0] == '\'' || p[0] == '"') && p[n - 1] == p[0]) {
        *f = (cryppo_field){CRYPPO_FIELD_BYTES, p + 1, n - 2, 0};
        return;
    }
    if (!all_digits(p, n)) {
        *f = (cryppo_field){CRYPPO_FIELD_BYTES, p, n, 0};
        return;
    }
    for (size_t k = p[0] == '-'; k < n; k++)
        v = v * 10 + (p[k] - '0');
    *f = (cryppo_field){CRYPPO_FIELD_INT, NULL, 0, p[0] == '-' ? -v : v};
}

static cryppo_status entry_read(yaml_cursor *c, cryppo_artefacts *a)
{
    const char *key;
    size_t key_len;
    cryppo_field f;
    cryppo_status st = key_read(c, &key, &key_len);

    if (st != CRYPPO_OK)
        return st;
    skip_spaces(c);
    if (skip_literal(c, "!!binary") || skip_literal(c, "!binary"))
        st = binary_read(c, &f);
    else
        scalar_read(c, &f);
    if (st != CRYPPO_OK)
        return st;
    return cryppo_artefacts_set(a, key, key_len, &f);
}

/* "{}" on a line of its own: cryppo-js' empty RSA artefacts "---\n{}\n". */
static int empty_mapping(yaml_cursor *c)
{
    size_t start = c->pos;

    skip_spaces(c);
    if (skip_literal(c, "{}")) {
        skip_spaces(c);
        while (c->pos < c->len && c->buf[c->pos] == '\n')
            c->pos++;
        if (c->pos == c->len)
            return 1;
    }
    c->pos = start;
    return 0;
}

cryppo_status cryppo_yaml_read(uint8_t *buf, size_t len, cryppo_artefacts *a)
{
    yaml_cursor c = {buf, 0, len};

    if (!skip_literal(&c, "---"))
        return CRYPPO_ERR_ARTEFACTS;
    skip_spaces(&c);
    if (!at_eol(&c))
        return CRYPPO_ERR_ARTEFACTS;
    if (c.pos < c.len)
        c.pos++;
    if (empty_mapping(&c))
        return CRYPPO_OK;
    while (c.pos < c.len) {
        cryppo_status st;
        if (buf[c.pos] == '\n') {
            c.pos++;
            continue;
        }
        if (buf[c.pos] == ' ')
            return CRYPPO_ERR_ARTEFACTS; /* nested or stray indentation */
        st = entry_read(&c, a);
        if (st != CRYPPO_OK)
            return st;
    }
    return CRYPPO_OK;
}
