/* cryppo/parse.c - the serialized string: parts, strategy names, and the
 * generic parsed form (cryppo_parse / cryppo_serialize).
 *
 * Dispatch on the number of parts, like the Ruby reference:
 *   3  STRATEGY.data.artefacts             (Aes256Gcm, Rsa<bits>)
 *   4  Sign.Rsa<bits>.signature.data
 *   5  Aes256Gcm.data.artefacts.Pbkdf2Hmac.derivation-artefacts
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

cryppo_status cryppo_parts_split(const char *s, size_t len, cryppo_parts *out)
{
    const char *p = s, *end = s + len;
    int n = 0;

    for (;;) {
        const char *dot = memchr(p, '.', (size_t)(end - p));
        if (n == CRYPPO_MAX_PARTS)
            return CRYPPO_ERR_FORMAT;
        out->p[n] = p;
        out->len[n] = (size_t)((dot ? dot : end) - p);
        n++;
        if (!dot)
            break;
        p = dot + 1;
    }
    out->n = n;
    return n >= 3 ? CRYPPO_OK : CRYPPO_ERR_FORMAT;
}

cryppo_status cryppo_parts_split_str(const char *s, cryppo_parts *out)
{
    const char *p = s;
    int n = 0;

    for (;;) { /* one pass: strchrnul finds the '.' or the end */
        const char *dot = strchrnul(p, '.');
        if (n == CRYPPO_MAX_PARTS)
            return CRYPPO_ERR_FORMAT;
        out->p[n] = p;
        out->len[n] = (size_t)(dot - p);
        n++;
        if (!*dot)
            break;
        p = dot + 1;
    }
    out->n = n;
    return n >= 3 ? CRYPPO_OK : CRYPPO_ERR_FORMAT;
}

int cryppo_parts_is(const cryppo_parts *parts, int i, const char *lit)
{
    size_t n = strlen(lit);

    return parts->len[i] == n && memcmp(parts->p[i], lit, n) == 0;
}

cryppo_status cryppo_rsa_name_parse(const char *p, size_t len, int *bits)
{
    int v = 0;

    if (len < 6 || len > 8 || memcmp(p, "Rsa", 3) != 0 || p[3] == '0')
        return CRYPPO_ERR_UNKNOWN_STRATEGY;
    for (size_t k = 3; k < len; k++) {
        if (p[k] < '0' || p[k] > '9')
            return CRYPPO_ERR_UNKNOWN_STRATEGY;
        v = v * 10 + (p[k] - '0');
    }
    if (v < 512 || v > 16384)
        return CRYPPO_ERR_UNKNOWN_STRATEGY;
    *bits = v;
    return CRYPPO_OK;
}

cryppo_status cryppo_parts_decode(const cryppo_parts *parts, int i,
                                  secbuf *out)
{
    return cryppo_b64url_decode(parts->p[i], parts->len[i], out);
}

/* ---- cryppo_parse ----------------------------------------------------- */

static cryppo_status parse_signature(const cryppo_parts *parts,
                                     cryppo_parsed *p)
{
    cryppo_status st;

    if (!cryppo_parts_is(parts, 0, "Sign"))
        return CRYPPO_ERR_UNKNOWN_STRATEGY;
    st = cryppo_rsa_name_parse(parts->p[1], parts->len[1], &p->rsa_bits);
    if (st != CRYPPO_OK)
        return st;
    if (parts->len[2] == 0)
        return CRYPPO_ERR_FORMAT;
    if (parts->len[3] > cryppo_b64url_encoded_len(CRYPPO_SIGN_MAX_DATA))
        return CRYPPO_ERR_TOO_LARGE;
    p->kind = CRYPPO_KIND_SIGNATURE;
    st = cryppo_parts_decode(parts, 2, &p->data);
    if (st == CRYPPO_OK)
        st = cryppo_parts_decode(parts, 3, &p->signed_data);
    if (st == CRYPPO_OK && p->signed_data.len > CRYPPO_SIGN_MAX_DATA)
        st = CRYPPO_ERR_TOO_LARGE;
    return st;
}

static cryppo_status parse_rsa(const cryppo_parts *parts, cryppo_parsed *p)
{
    uint8_t buf[CRYPPO_ARTEFACTS_MAX];
    cryppo_artefacts a;
    cryppo_status st;

    st = cryppo_rsa_name_parse(parts->p[0], parts->len[0], &p->rsa_bits);
    if (st != CRYPPO_OK)
        return st;
    /* RSA artefacts carry nothing ('A' + {} or YAML with empty values),
     * but they must still be well formed. */
    st = cryppo_artefacts_read(parts->p[2], parts->len[2],
                               CRYPPO_ARTEFACT_VERSION_ENC, buf, &a);
    if (st != CRYPPO_OK)
        return st;
    p->kind = CRYPPO_KIND_RSA;
    p->legacy_yaml = a.legacy_yaml;
    return cryppo_parts_decode(parts, 1, &p->data);
}

static cryppo_status parse_kdf(const cryppo_parts *parts, cryppo_parsed *p)
{
    uint8_t buf[CRYPPO_ARTEFACTS_MAX];
    cryppo_kdf_params kp;
    cryppo_status st = cryppo_kdf_params_read(parts, buf, &kp);

    if (st != CRYPPO_OK)
        return st;
    if (secbuf_dup(&p->salt, kp.salt, kp.salt_len) != 0)
        return CRYPPO_ERR_NOMEM;
    p->kind = CRYPPO_KIND_AES256GCM_PBKDF2;
    p->iterations = kp.iterations;
    p->key_len = kp.key_len;
    memcpy(p->hash, kp.hash, sizeof(p->hash));
    p->legacy_yaml |= kp.legacy_yaml;
    return CRYPPO_OK;
}

static cryppo_status parse_aes(const cryppo_parts *parts, cryppo_parsed *p)
{
    uint8_t buf[CRYPPO_ARTEFACTS_MAX];
    cryppo_gcm_params gp;
    cryppo_status st = cryppo_gcm_params_read(parts, buf, &gp);

    if (st != CRYPPO_OK)
        return st;
    p->kind = CRYPPO_KIND_AES256GCM;
    memcpy(p->iv, gp.iv, sizeof(p->iv));
    memcpy(p->tag, gp.tag, sizeof(p->tag));
    p->legacy_yaml = gp.legacy_yaml;
    p->ad = malloc(gp.ad_len + 1);
    if (!p->ad)
        return CRYPPO_ERR_NOMEM;
    if (gp.ad_len)
        memcpy(p->ad, gp.ad, gp.ad_len);
    p->ad[gp.ad_len] = '\0';
    if (parts->n == 5) {
        st = parse_kdf(parts, p);
        if (st != CRYPPO_OK)
            return st;
    }
    return cryppo_parts_decode(parts, 1, &p->data);
}

cryppo_status cryppo_parse(const char *serialized, size_t len,
                           cryppo_parsed *out)
{
    cryppo_parsed p;
    cryppo_parts parts;
    cryppo_status st;

    if (!out)
        return CRYPPO_ERR_ARGS;
    memset(out, 0, sizeof(*out));
    if (!serialized)
        return CRYPPO_ERR_ARGS;
    memset(&p, 0, sizeof(p));
    st = cryppo_parts_split(serialized, len, &parts);
    if (st != CRYPPO_OK)
        return st;
    if (parts.n == 4)
        st = parse_signature(&parts, &p);
    else if (parts.n == 3 && parts.len[0] > 3 &&
             memcmp(parts.p[0], "Rsa", 3) == 0)
        st = parse_rsa(&parts, &p);
    else
        st = parse_aes(&parts, &p);
    if (st != CRYPPO_OK) {
        cryppo_parsed_free(&p);
        return st;
    }
    *out = p;
    return CRYPPO_OK;
}

void cryppo_parsed_free(cryppo_parsed *p)
{
    if (!p)
        return;
    secbuf_free(&p->data);
    secbuf_free(&p->signed_data);
    secbuf_free(&p->salt);
    free(p->ad);
    memset(p, 0, sizeof(*p));
}

/* ---- cryppo_serialize ------------------------------------------------- */

typedef struct str_writer {
    char *p;
} str_writer;

static void put_text(str_writer *w, const char *s)
{
    size_t n = strlen(s);

    memcpy(w->p, s, n);
    w->p += n;
}

static void put_b64(str_writer *w, const uint8_t *v, size_t len)
{
    cryppo_b64_encode_raw(v, len, w->p);
    w->p += cryppo_b64url_encoded_len(len);
}

static cryppo_status serialize_aes(const cryppo_parsed *p, char **out)
{
    uint8_t art[CRYPPO_ARTEFACTS_MAX], kdf[CRYPPO_ARTEFACTS_MAX];
    size_t ad_len = p->ad ? strlen(p->ad) : 0, art_len, kdf_len = 0, total;
    int derived = p->kind == CRYPPO_KIND_AES256GCM_PBKDF2;
    str_writer w;
    char *s;

    if (cryppo_bson_enc_size(ad_len) > sizeof(art) ||
        (derived && (p->salt.len > CRYPPO_KDF_MAX_SALT ||
                     strlen(p->hash) >= sizeof(p->hash))))
        return CRYPPO_ERR_TOO_LARGE;
    art_len = cryppo_bson_enc_write(art, p->iv, p->tag, p->ad ? p->ad : "",
                                    ad_len);
    if (derived)
        kdf_len = cryppo_bson_kdf_write(kdf, p->salt.p, p->salt.len,
                                        p->iterations, p->key_len, p->hash);
    total = strlen("Aes256Gcm..") + cryppo_b64url_encoded_len(p->data.len) +
            cryppo_b64url_encoded_len(art_len) +
            (derived ? strlen(".Pbkdf2Hmac.") +
                           cryppo_b64url_encoded_len(kdf_len)
                     : 0);
    s = malloc(total + 1);
    if (!s)
        return CRYPPO_ERR_NOMEM;
    w.p = s;
    put_text(&w, "Aes256Gcm.");
    put_b64(&w, p->data.p, p->data.len);
    put_text(&w, ".");
    put_b64(&w, art, art_len);
    if (derived) {
        put_text(&w, ".Pbkdf2Hmac.");
        put_b64(&w, kdf, kdf_len);
    }
    *w.p = '\0';
    *out = s;
    return CRYPPO_OK;
}

static cryppo_status serialize_rsa(const cryppo_parsed *p, char **out)
{
    int sig = p->kind == CRYPPO_KIND_SIGNATURE;
    char name[24];
    size_t total;
    str_writer w;
    char *s;

    snprintf(name, sizeof(name), "%sRsa%d.", sig ? "Sign." : "", p->rsa_bits);
    total = strlen(name) + cryppo_b64url_encoded_len(p->data.len) + 1 +
            (sig ? cryppo_b64url_encoded_len(p->signed_data.len)
                 : strlen(CRYPPO_RSA_ARTEFACTS));
    s = malloc(total + 1);
    if (!s)
        return CRYPPO_ERR_NOMEM;
    w.p = s;
    put_text(&w, name);
    put_b64(&w, p->data.p, p->data.len);
    put_text(&w, ".");
    if (sig)
        put_b64(&w, p->signed_data.p, p->signed_data.len);
    else
        put_text(&w, CRYPPO_RSA_ARTEFACTS);
    *w.p = '\0';
    *out = s;
    return CRYPPO_OK;
}

cryppo_status cryppo_serialize(const cryppo_parsed *p, char **out)
{
    if (!p || !out)
        return CRYPPO_ERR_ARGS;
    switch (p->kind) {
    case CRYPPO_KIND_AES256GCM:
    case CRYPPO_KIND_AES256GCM_PBKDF2:
        return serialize_aes(p, out);
    case CRYPPO_KIND_RSA:
    case CRYPPO_KIND_SIGNATURE:
        if (p->rsa_bits < 512 || p->rsa_bits > 16384)
            return CRYPPO_ERR_ARGS;
        return serialize_rsa(p, out);
    }
    return CRYPPO_ERR_ARGS;
}
