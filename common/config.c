/* common/config.c - the token configuration file (see config.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secbuf.h"

#define MAX_LINE 4096
#define MAX_FILE (1024 * 1024)

/* ---- the typed key table -------------------------------------------- */

typedef enum key_type {
    KT_STRING,  /* any text */
    KT_PATH,    /* absolute path or ~/... */
    KT_URL,     /* http:// or https:// */
    KT_BOOL,    /* true/false, yes/no, on/off, 1/0 */
    KT_INT,     /* 0 .. INT_MAX */
    KT_BACKEND, /* local | remote */
} key_type;

typedef enum key_scope { SCOPE_GLOBAL, SCOPE_TOKEN } key_scope;

typedef struct key_def {
    const char *name;
    key_type type;
    key_scope scope;
    size_t offset;        /* in config_token or config */
    const char *fallback; /* default, documentation only for strings */
} key_def;

#define TOK(field) offsetof(config_token, field)

static const key_def keys[] = {
    {"data_dir", KT_PATH, SCOPE_GLOBAL, offsetof(config, data_dir),
     "$XDG_DATA_HOME/meeco-pkcs11"},
    {"backend", KT_BACKEND, SCOPE_TOKEN, TOK(backend), "local"},
    {"label", KT_STRING, SCOPE_TOKEN, TOK(label), "<token name>"},
    {"data_dir", KT_PATH, SCOPE_TOKEN, TOK(data_dir), "<global data_dir>"},
    {"db_path", KT_PATH, SCOPE_TOKEN, TOK(db_path),
     "<data_dir>/<name>.sqlite3"},
    {"secret_key", KT_STRING, SCOPE_TOKEN, TOK(secret_key), NULL},
    {"secret_key_file", KT_PATH, SCOPE_TOKEN, TOK(secret_key_file), NULL},
    {"keystore_url", KT_URL, SCOPE_TOKEN, TOK(keystore_url), NULL},
    {"vault_url", KT_URL, SCOPE_TOKEN, TOK(vault_url), NULL},
    {"subscription_key", KT_STRING, SCOPE_TOKEN, TOK(subscription_key), NULL},
    {"ca_file", KT_PATH, SCOPE_TOKEN, TOK(ca_file), NULL},
    {"refresh_interval", KT_INT, SCOPE_TOKEN, TOK(refresh_interval), "300"},
    {"timeout", KT_INT, SCOPE_TOKEN, TOK(timeout), "30"},
    {"read_only", KT_BOOL, SCOPE_TOKEN, TOK(read_only), "false"},
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const messages[CONFIG_STATUS_COUNT] = {
    [CONFIG_OK] = "success",
    [CONFIG_ERR_ARGS] = "invalid argument",
    [CONFIG_ERR_NOMEM] = "out of memory",
    [CONFIG_ERR_IO] = "cannot read or write the configuration file",
    [CONFIG_ERR_SYNTAX] = "syntax error",
    [CONFIG_ERR_UNKNOWN_KEY] = "unknown key",
    [CONFIG_ERR_BAD_VALUE] = "bad value",
    [CONFIG_ERR_DUPLICATE] = "duplicate key or token",
    [CONFIG_ERR_MISSING] = "required key missing",
    [CONFIG_ERR_NO_HOME] = "no home folder (set HOME or XDG_DATA_HOME)",
};

const char *config_strerror(config_status st)
{
    if ((unsigned)st >= CONFIG_STATUS_COUNT)
        return "unknown config status";
    return messages[st];
}

static config_status fail(config_error *err, config_status st, int line,
                          const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static config_status fail(config_error *err, config_status st, int line,
                          const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->line = line;
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
    return st;
}

/* ---- value checks --------------------------------------------------- */

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static int parse_int(const char *v, int *out)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < 0 || n > INT_MAX ||
        !(*v >= '0' && *v <= '9'))
        return -1;
    *out = (int)n;
    return 0;
}

/* Check v against the key's type; 0 if it fits. */
static int value_fits(const key_def *k, const char *v)
{
    bool b;
    int i;
    switch (k->type) {
    case KT_STRING:
        return *v ? 0 : -1;
    case KT_PATH:
        return (v[0] == '/' || (v[0] == '~' && v[1] == '/')) ? 0 : -1;
    case KT_URL:
        return (strncmp(v, "https://", 8) == 0 ||
                strncmp(v, "http://", 7) == 0) &&
                       !strchr(v, ' ')
                   ? 0
                   : -1;
    case KT_BOOL:
        return parse_bool(v, &b);
    case KT_INT:
        return parse_int(v, &i);
    case KT_BACKEND:
        return strcmp(v, "local") == 0 || strcmp(v, "remote") == 0 ? 0 : -1;
    }
    return -1;
}

static const char *type_name(key_type t)
{
    static const char *const names[] = {
        "a non-empty string", "an absolute path",       "an http(s) URL",
        "a boolean",          "a non-negative integer", "local or remote"};
    return names[t];
}

static const key_def *find_key(const char *name, key_scope scope)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (keys[i].scope == scope && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

/* "~/x" -> "$HOME/x" (malloc'd). */
static char *expand_path(const char *v)
{
    if (v[0] != '~')
        return strdup(v);
    const char *home = secure_getenv("HOME");
    if (!home || !*home)
        return NULL;
    size_t len = strlen(home) + strlen(v);
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s%s", home, v + 1);
    return out;
}

/* Store a checked value into the struct field the key describes. */
static config_status assign(const key_def *k, void *base, const char *v)
{
    char **sp = (char **)((char *)base + k->offset);
    switch (k->type) {
    case KT_BOOL:
        parse_bool(v, (bool *)((char *)base + k->offset));
        return CONFIG_OK;
    case KT_INT:
        parse_int(v, (int *)((char *)base + k->offset));
        return CONFIG_OK;
    case KT_BACKEND:
        *(config_backend *)((char *)base + k->offset) =
            strcmp(v, "remote") == 0 ? CONFIG_BACKEND_REMOTE
                                     : CONFIG_BACKEND_LOCAL;
        return CONFIG_OK;
    case KT_PATH:
        free(*sp);
        *sp = expand_path(v);
        return *sp ? CONFIG_OK : CONFIG_ERR_NO_HOME;
    default:
        free(*sp);
        *sp = strdup(v);
        return *sp ? CONFIG_OK : CONFIG_ERR_NOMEM;
    }
}

/* ---- lines ---------------------------------------------------------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int valid_name(const char *s, int allow_dots)
{
    if (!*s)
        return 0;
    for (; *s; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                 (allow_dots && c == '.');
        if (!ok)
            return 0;
    }
    return 1;
}

/* Parse a double-quoted value in place; rest must be blank or a comment. */
static int unquote(char *v)
{
    char *r = v + 1, *w = v;
    for (; *r && *r != '"'; r++) {
        if (*r == '\\') {
            r++;
            if (*r == 'n')
                *w++ = '\n';
            else if (*r == '"' || *r == '\\')
                *w++ = *r;
            else
                return -1;
        } else {
            *w++ = *r;
        }
    }
    if (*r != '"')
        return -1;
    char *rest = trim(r + 1);
    *w = '\0';
    return (*rest == '\0' || *rest == '#' || *rest == ';') ? 0 : -1;
}

/* Unquoted value: a comment starts at " #" or " ;". */
static void strip_comment(char *v)
{
    for (char *p = v; *p; p++)
        if ((*p == '#' || *p == ';') && p > v &&
            (p[-1] == ' ' || p[-1] == '\t')) {
            *p = '\0';
            break;
        }
}

/* ---- parser state --------------------------------------------------- */

typedef struct parser {
    config *cfg;
    config_token *cur; /* NULL = global section */
    unsigned seen;     /* bitmask of keys seen in the current section */
    int *section_line; /* line of each token's section header */
    config_error *err;
} parser;

static config_status start_token(parser *p, const char *name, int line)
{
    config *c = p->cfg;
    if (!valid_name(name, 1))
        return fail(p->err, CONFIG_ERR_SYNTAX, line, "bad token name '%s'",
                    name);
    for (size_t i = 0; i < c->n_tokens; i++)
        if (strcmp(c->tokens[i].name, name) == 0)
            return fail(p->err, CONFIG_ERR_DUPLICATE, line,
                        "token '%s' already defined on line %d", name,
                        p->section_line[i]);
    if (c->n_tokens == CONFIG_MAX_TOKENS)
        return fail(p->err, CONFIG_ERR_BAD_VALUE, line, "more than %d tokens",
                    CONFIG_MAX_TOKENS);
    if (!c->tokens) {
        c->tokens = calloc(CONFIG_MAX_TOKENS, sizeof(*c->tokens));
        p->section_line = calloc(CONFIG_MAX_TOKENS, sizeof(int));
        if (!c->tokens || !p->section_line)
            return CONFIG_ERR_NOMEM;
    }
    config_token *t = &c->tokens[c->n_tokens];
    t->name = strdup(name);
    if (!t->name)
        return CONFIG_ERR_NOMEM;
    t->refresh_interval = 300;
    t->timeout = 30;
    p->section_line[c->n_tokens++] = line;
    p->cur = t;
    p->seen = 0;
    return CONFIG_OK;
}

static config_status parse_section(parser *p, char *s, int line)
{
    size_t n = strlen(s);
    if (s[n - 1] != ']')
        return fail(p->err, CONFIG_ERR_SYNTAX, line,
                    "section header without ']'");
    s[n - 1] = '\0';
    char *inner = trim(s + 1);
    if (strncmp(inner, "token", 5) != 0 ||
        (inner[5] != ' ' && inner[5] != '\t'))
        return fail(p->err, CONFIG_ERR_SYNTAX, line,
                    "unknown section '[%s]' (expected [token NAME])", inner);
    return start_token(p, trim(inner + 5), line);
}

static config_status parse_pair(parser *p, char *s, int line)
{
    char *eq = strchr(s, '=');
    if (!eq)
        return fail(p->err, CONFIG_ERR_SYNTAX, line, "expected key = value");
    *eq = '\0';
    char *key = trim(s), *val = trim(eq + 1);
    if (!valid_name(key, 0))
        return fail(p->err, CONFIG_ERR_SYNTAX, line, "bad key name '%s'", key);
    if (*val == '"' ? unquote(val) != 0 : (strip_comment(val), 0))
        return fail(p->err, CONFIG_ERR_SYNTAX, line, "bad quoting for '%s'",
                    key);
    val = *val == '"' ? val : trim(val);
    const key_def *k = find_key(key, p->cur ? SCOPE_TOKEN : SCOPE_GLOBAL);
    if (!k)
        return fail(p->err, CONFIG_ERR_UNKNOWN_KEY, line, "unknown key '%s'%s",
                    key, p->cur ? "" : " outside a [token NAME] section");
    unsigned bit = 1u << (k - keys);
    if (p->seen & bit)
        return fail(p->err, CONFIG_ERR_DUPLICATE, line, "key '%s' given twice",
                    key);
    p->seen |= bit;
    if (value_fits(k, val) != 0)
        return fail(p->err, CONFIG_ERR_BAD_VALUE, line, "'%s' must be %s", key,
                    type_name(k->type));
    config_status st = assign(k, p->cur ? (void *)p->cur : (void *)p->cfg, val);
    return st == CONFIG_OK ? st
                           : fail(p->err, st, line, "cannot set '%s'", key);
}

static config_status parse_line(parser *p, char *raw, int line)
{
    char *s = trim(raw);
    if (!*s || *s == '#' || *s == ';')
        return CONFIG_OK;
    if (*s == '[')
        return parse_section(p, s, line);
    return parse_pair(p, s, line);
}

/* ---- finishing ------------------------------------------------------ */

char *config_default_data_dir(void)
{
    const char *xdg = secure_getenv("XDG_DATA_HOME");
    const char *home = secure_getenv("HOME");
    char buf[PATH_MAX];
    if (xdg && xdg[0] == '/')
        snprintf(buf, sizeof(buf), "%s/%s", xdg, CONFIG_APP_DIR);
    else if (home && home[0] == '/')
        snprintf(buf, sizeof(buf), "%s/.local/share/%s", home, CONFIG_APP_DIR);
    else {
        struct passwd *pw = getpwuid(getuid());
        if (!pw || !pw->pw_dir || pw->pw_dir[0] != '/')
            return NULL;
        snprintf(buf, sizeof(buf), "%s/.local/share/%s", pw->pw_dir,
                 CONFIG_APP_DIR);
    }
    return strdup(buf);
}

char *config_default_path(void)
{
    const char *env = secure_getenv("MEECO_PKCS11_CONF");
    if (env && *env)
        return strdup(env);
    const char *xdg = secure_getenv("XDG_CONFIG_HOME");
    const char *home = secure_getenv("HOME");
    char buf[PATH_MAX];
    if (xdg && xdg[0] == '/')
        snprintf(buf, sizeof(buf), "%s/%s/%s", xdg, CONFIG_APP_DIR,
                 CONFIG_FILE_NAME);
    else if (home && home[0] == '/')
        snprintf(buf, sizeof(buf), "%s/.config/%s/%s", home, CONFIG_APP_DIR,
                 CONFIG_FILE_NAME);
    else
        return NULL;
    return strdup(buf);
}

static config_status add_default_token(parser *p)
{
    config_status st = start_token(p, CONFIG_DEFAULT_TOKEN, 0);
    return st;
}

static config_status finish(parser *p)
{
    config *c = p->cfg;
    if (!c->data_dir && !(c->data_dir = config_default_data_dir()))
        return fail(p->err, CONFIG_ERR_NO_HOME, 0, "cannot find a data folder");
    if (c->n_tokens == 0) {
        config_status st = add_default_token(p);
        if (st != CONFIG_OK)
            return st;
    }
    for (size_t i = 0; i < c->n_tokens; i++) {
        config_token *t = &c->tokens[i];
        if (!t->label && !(t->label = strdup(t->name)))
            return CONFIG_ERR_NOMEM;
        if (t->backend == CONFIG_BACKEND_REMOTE &&
            (!t->keystore_url || !t->vault_url))
            return fail(p->err, CONFIG_ERR_MISSING, p->section_line[i],
                        "remote token '%s' needs keystore_url and vault_url",
                        t->name);
        if (t->secret_key && t->secret_key_file)
            return fail(
                p->err, CONFIG_ERR_DUPLICATE, p->section_line[i],
                "token '%s': give secret_key or secret_key_file, not both",
                t->name);
    }
    return CONFIG_OK;
}

/* ---- public entry points -------------------------------------------- */

config_status config_parse_string(const char *text, const char *origin,
                                  config **out, config_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (!text || !out)
        return CONFIG_ERR_ARGS;
    *out = NULL;
    config *c = calloc(1, sizeof(*c));
    char *copy = strdup(text);
    parser p = {.cfg = c, .err = err};
    config_status st = c && copy ? CONFIG_OK : CONFIG_ERR_NOMEM;
    if (st == CONFIG_OK && !(c->source = strdup(origin ? origin : "<string>")))
        st = CONFIG_ERR_NOMEM;
    int line = 0;
    for (char *save = NULL, *l = copy; st == CONFIG_OK && l; l = save) {
        save = strchr(l, '\n');
        if (save)
            *save++ = '\0';
        line++;
        if (strlen(l) > MAX_LINE)
            st = fail(err, CONFIG_ERR_SYNTAX, line, "line too long");
        else
            st = parse_line(&p, l, line);
    }
    if (st == CONFIG_OK)
        st = finish(&p);
    if (copy)
        secure_free(copy, strlen(text) + 1); /* may hold a Secret Key */
    free(p.section_line);
    if (st != CONFIG_OK) {
        config_free(c);
        return st;
    }
    *out = c;
    return CONFIG_OK;
}

static config_status read_file(const char *path, char **text, config_error *err)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return fail(err, CONFIG_ERR_IO, 0, "cannot open %s: %s", path,
                    strerror(errno));
    char *buf = malloc(MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return CONFIG_ERR_NOMEM;
    if (bad || n > MAX_FILE) {
        free(buf);
        return fail(err, CONFIG_ERR_IO, 0,
                    "cannot read %s (or larger than 1 MiB)", path);
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        return fail(err, CONFIG_ERR_SYNTAX, 0, "%s contains a NUL byte", path);
    }
    *text = buf;
    return CONFIG_OK;
}

config_status config_parse_file(const char *path, config **out,
                                config_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (!path || !out)
        return CONFIG_ERR_ARGS;
    *out = NULL;
    char *text = NULL;
    config_status st = read_file(path, &text, err);
    if (st != CONFIG_OK)
        return st;
    st = config_parse_string(text, path, out, err);
    secure_free(text, strlen(text) + 1);
    return st;
}

config_status config_default(config **out)
{
    return config_parse_string("", "<default>", out, NULL);
}

/* pReserved text.  A p11-kit .module file's x-init-reserved is one line,
 * so a literal backslash-n stands for a newline when there is no real
 * one: "[token a]\\nbackend = local". */
static config_status parse_reserved(const char *text, config **out,
                                    config_error *err)
{
    if (strchr(text, '\n') || !strstr(text, "\\n"))
        return config_parse_string(text, "<pReserved>", out, err);
    char *copy = strdup(text);
    if (!copy)
        return CONFIG_ERR_NOMEM;
    char *w = copy;
    for (const char *r = text; *r; r++) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    config_status st = config_parse_string(copy, "<pReserved>", out, err);
    secure_free(copy, strlen(text) + 1);
    return st;
}

config_status config_load(const char *reserved, config **out, config_error *err)
{
    if (!out)
        return CONFIG_ERR_ARGS;
    if (reserved && (strchr(reserved, '=') || strchr(reserved, '[')))
        return parse_reserved(reserved, out, err);
    if (reserved)
        return config_parse_file(reserved, out, err);
    const char *env = secure_getenv("MEECO_PKCS11_CONF");
    if (env && *env)
        return config_parse_file(env, out, err);
    char *path = config_default_path();
    config_status st;
    if (path && access(path, F_OK) == 0)
        st = config_parse_file(path, out, err);
    else
        st = config_default(out);
    free(path);
    return st;
}

static void token_clear(config_token *t)
{
    free(t->name);
    free(t->label);
    free(t->data_dir);
    free(t->db_path);
    if (t->secret_key)
        secure_free(t->secret_key, strlen(t->secret_key) + 1);
    free(t->secret_key_file);
    free(t->keystore_url);
    free(t->vault_url);
    free(t->subscription_key);
    free(t->ca_file);
}

void config_free(config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_tokens; i++)
        token_clear(&c->tokens[i]);
    free(c->tokens);
    free(c->source);
    free(c->data_dir);
    free(c);
}

const config_token *config_token_find(const config *c, const char *name)
{
    for (size_t i = 0; c && name && i < c->n_tokens; i++)
        if (strcmp(c->tokens[i].name, name) == 0)
            return &c->tokens[i];
    return NULL;
}

char *config_token_db_path(const config *c, const config_token *t)
{
    if (!c || !t)
        return NULL;
    if (t->db_path)
        return strdup(t->db_path);
    const char *dir = t->data_dir ? t->data_dir : c->data_dir;
    if (!dir)
        return NULL;
    size_t len = strlen(dir) + strlen(t->name) + sizeof("/.sqlite3");
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s/%s.sqlite3", dir, t->name);
    return out;
}

config_status config_token_secret(const config_token *t, char **secret,
                                  config_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (!t || !secret)
        return CONFIG_ERR_ARGS;
    *secret = NULL;
    if (t->secret_key) {
        *secret = strdup(t->secret_key);
        return *secret ? CONFIG_OK : CONFIG_ERR_NOMEM;
    }
    if (!t->secret_key_file)
        return CONFIG_OK;
    struct stat sb;
    if (stat(t->secret_key_file, &sb) != 0)
        return fail(err, CONFIG_ERR_IO, 0, "cannot read %s",
                    t->secret_key_file);
    if (sb.st_mode & 077)
        return fail(err, CONFIG_ERR_BAD_VALUE, 0,
                    "%s is readable by others (chmod 600)", t->secret_key_file);
    char *text = NULL;
    config_status st = read_file(t->secret_key_file, &text, err);
    if (st != CONFIG_OK)
        return st;
    size_t n = strcspn(text, "\r\n");
    char *copy = n ? strndup(text, n) : NULL;
    secure_free(text, strlen(text) + 1);
    if (!copy)
        return n ? CONFIG_ERR_NOMEM
                 : fail(err, CONFIG_ERR_BAD_VALUE, 0, "%s is empty",
                        t->secret_key_file);
    *secret = copy;
    return CONFIG_OK;
}

/* ---- editing a file ------------------------------------------------- */

/* Append text to a growing buffer. */
typedef struct strbuf {
    char *p;
    size_t len, cap;
    int oom;
} strbuf;

static void sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *grown = realloc(b->p, cap);
        if (!grown) {
            b->oom = 1;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(strbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* "key = value" with quotes when the value needs them. */
static void sb_pair(strbuf *b, const char *key, const char *value)
{
    sb_str(b, key);
    sb_str(b, " = ");
    if (!strpbrk(value, " \t#;\"\\\n") && value[0] != '"') {
        sb_str(b, value);
    } else {
        sb_str(b, "\"");
        for (const char *p = value; *p; p++) {
            if (*p == '"' || *p == '\\')
                sb_add(b, "\\", 1);
            if (*p == '\n')
                sb_str(b, "\\n");
            else
                sb_add(b, p, 1);
        }
        sb_str(b, "\"");
    }
    sb_str(b, "\n");
}

/* Is this line the header of [token name]? */
static int is_section(const char *line, const char *name)
{
    char buf[MAX_LINE + 1];
    snprintf(buf, sizeof(buf), "%s", line);
    char *s = trim(buf);
    size_t n = strlen(s);
    if (n < 2 || s[0] != '[' || s[n - 1] != ']')
        return 0;
    s[n - 1] = '\0';
    char *inner = trim(s + 1);
    if (strncmp(inner, "token", 5) != 0 ||
        (inner[5] != ' ' && inner[5] != '\t'))
        return 0;
    return strcmp(trim(inner + 5), name) == 0;
}

/* Is this line "key = ..."? */
static int is_key(const char *line, const char *key)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0)
        return 0;
    line += n;
    while (*line == ' ' || *line == '\t')
        line++;
    return *line == '=';
}

/* Rewrite text with key = value set in [token name]. */
static void edit_text(const char *text, const char *token, const char *key,
                      const char *value, strbuf *out)
{
    int in_section = 0, done = 0;
    const char *l = text;
    while (*l) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        char line[MAX_LINE + 1];
        snprintf(line, sizeof(line), "%.*s", (int)(n > MAX_LINE ? MAX_LINE : n),
                 l);
        char *t = trim(line);
        if (in_section && !done && *t == '[') {
            sb_pair(out, key, value); /* end of our section: append */
            done = 1;
        }
        if (*t == '[')
            in_section = is_section(line, token);
        if (in_section && !done && is_key(line, key)) {
            sb_pair(out, key, value);
            done = 1;
        } else {
            sb_add(out, l, n);
            sb_str(out, "\n");
        }
        l += n + (nl ? 1 : 0);
    }
    if (!done && in_section) {
        sb_pair(out, key, value);
        done = 1;
    }
    if (!done) {
        sb_str(out, out->len ? "\n[token " : "[token ");
        sb_str(out, token);
        sb_str(out, "]\n");
        sb_pair(out, key, value);
    }
}

static config_status write_private(const char *path, const strbuf *b,
                                   config_error *err)
{
    char tmp[PATH_MAX], dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; *p; p++)
            if (*p == '/') {
                *p = '\0';
                mkdir(dir, 0700);
                *p = '/';
            }
        mkdir(dir, 0700);
    }
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path,
                         (long)getpid()) >= sizeof(tmp))
        return fail(err, CONFIG_ERR_ARGS, 0, "path too long");
    int fd =
        open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(err, CONFIG_ERR_IO, 0, "cannot create %s: %s", tmp,
                    strerror(errno));
    int ok = fchmod(fd, 0600) == 0 &&
             write(fd, b->p, b->len) == (ssize_t)b->len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return fail(err, CONFIG_ERR_IO, 0, "cannot write %s: %s", path,
                    strerror(errno));
    }
    return CONFIG_OK;
}

config_status config_file_set(const char *path, const char *token,
                              const char *key, const char *value,
                              config_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (!path || !token || !key || !value)
        return CONFIG_ERR_ARGS;
    const key_def *k = find_key(key, SCOPE_TOKEN);
    if (!k)
        return fail(err, CONFIG_ERR_UNKNOWN_KEY, 0, "unknown key '%s'", key);
    if (!valid_name(token, 1))
        return fail(err, CONFIG_ERR_SYNTAX, 0, "bad token name '%s'", token);
    if (value_fits(k, value) != 0)
        return fail(err, CONFIG_ERR_BAD_VALUE, 0, "'%s' must be %s", key,
                    type_name(k->type));
    char *text = NULL;
    config_status st = CONFIG_OK;
    if (access(path, F_OK) == 0)
        st = read_file(path, &text, err);
    if (st != CONFIG_OK)
        return st;
    strbuf out = {0};
    edit_text(text ? text : "", token, key, value, &out);
    if (text)
        secure_free(text, strlen(text) + 1);
    config *check = NULL;
    st = out.oom ? CONFIG_ERR_NOMEM
                 : config_parse_string(out.p, path, &check, err);
    config_free(check);
    if (st == CONFIG_OK)
        st = write_private(path, &out, err);
    if (out.p)
        secure_free(out.p, out.cap);
    return st;
}
