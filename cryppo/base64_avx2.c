/* cryppo/base64_avx2.c - url-safe base64 with AVX2, 24 bytes <-> 32
 * characters per step (the vector method of Muła and Lemire, "Faster
 * Base64 Encoding and Decoding using AVX2 Instructions", with lookup
 * tables worked out here for the url-safe alphabet '-' '_').
 *
 * Only whole blocks are handled here; base64.c does the rest, the tails,
 * the padding and every error report (a block with an invalid character
 * is left to the scalar code).  Selected at run time when the CPU has
 * AVX2; elsewhere these functions consume nothing.
 */
#include "internal.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

int cryppo_b64_avx2_available(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

/* 12 bytes per 128-bit lane -> 16 sextets per lane, one per byte. */
AVX2 static __m256i enc_split(__m256i in)
{
    /* each 3 bytes a b c become the 32-bit word [b a c b] */
    in = _mm256_shuffle_epi8(
        in, _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11,
                             10, 1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9,
                             11, 10));
    /* sextets 0 and 2 by a high multiply, 1 and 3 by a low multiply */
    return _mm256_or_si256(
        _mm256_mulhi_epu16(_mm256_and_si256(in, _mm256_set1_epi32(0x0fc0fc00)),
                           _mm256_set1_epi32(0x04000040)),
        _mm256_mullo_epi16(_mm256_and_si256(in, _mm256_set1_epi32(0x003f03f0)),
                           _mm256_set1_epi32(0x01000010)));
}

/* Sextet -> character: add an offset chosen by range.
 *   0..25 'A' +65 | 26..51 'a' +71 | 52..61 '0' -4 | 62 '-' -17 | 63 '_' +32 */
AVX2 static __m256i enc_translate(__m256i v)
{
    const __m256i offsets = _mm256_setr_epi8(
        65, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -17, 32, 0, 0, 65, 71,
        -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -17, 32, 0, 0);
    __m256i idx = _mm256_subs_epu8(v, _mm256_set1_epi8(51));

    idx = _mm256_sub_epi8(idx, _mm256_cmpgt_epi8(v, _mm256_set1_epi8(25)));
    return _mm256_add_epi8(v, _mm256_shuffle_epi8(offsets, idx));
}

AVX2 size_t cryppo_b64_avx2_encode(const uint8_t *in, size_t len, char *out)
{
    size_t done = 0;

    /* two 16-byte loads at +0 and +12: 28 readable bytes per step */
    for (; len - done >= 28; done += 24, out += 32) {
        __m128i lo = _mm_loadu_si128((const __m128i *)(in + done));
        __m128i hi = _mm_loadu_si128((const __m128i *)(in + done + 12));
        __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        _mm256_storeu_si256((__m256i *)out, enc_translate(enc_split(v)));
    }
    return done;
}

/* Character -> sextet, or a non-zero `bad` mask.  A character is invalid
 * when lut_lo[low nibble] & lut_hi[high nibble] != 0; bits name the high
 * nibbles for which that low nibble is invalid:
 *   0x01 high 2 (only '-' = 2D)      0x02 high 3 ('0'-'9' = 30-39)
 *   0x04 high 4 and 6 (41-4F, 61-6F) 0x08 high 5 (50-5A, '_' = 5F)
 *   0x10 high 7 (70-7A)              0x20 any other high nibble */
AVX2 static __m256i dec_translate(__m256i c, __m256i *bad)
{
    const __m256i lut_lo = _mm256_setr_epi8(
        0x25, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x23, 0x3B,
        0x3B, 0x3A, 0x3B, 0x33, 0x25, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21,
        0x21, 0x21, 0x23, 0x3B, 0x3B, 0x3A, 0x3B, 0x33);
    const __m256i lut_hi = _mm256_setr_epi8(
        0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0x20, 0x20, 0x20, 0x20,
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10,
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20);
    /* offset by high nibble: '-' +17, digits +4, upper -65, lower -71 */
    const __m256i lut_roll = _mm256_setr_epi8(
        0, 0, 17, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 4,
        -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi32(c, 4), nibble);
    __m256i lo = _mm256_and_si256(c, nibble);
    __m256i underscore = _mm256_cmpeq_epi8(c, _mm256_set1_epi8('_'));
    __m256i roll = _mm256_shuffle_epi8(lut_roll, hi);

    *bad = _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, lo),
                            _mm256_shuffle_epi8(lut_hi, hi));
    /* '_' sits with the upper-case letters: -32 instead of -65 */
    roll = _mm256_add_epi8(roll, _mm256_and_si256(underscore,
                                                  _mm256_set1_epi8(33)));
    return _mm256_add_epi8(c, roll);
}

/* 32 sextets -> 24 bytes at the start of the register. */
AVX2 static __m256i dec_pack(__m256i v)
{
    v = _mm256_maddubs_epi16(v, _mm256_set1_epi32(0x01400140));
    v = _mm256_madd_epi16(v, _mm256_set1_epi32(0x00011000));
    v = _mm256_shuffle_epi8(
        v, _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1,
                            -1, 2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1,
                            -1, -1));
    return _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 1, 2, 4, 5, 6,
                                                            7, 7));
}

AVX2 size_t cryppo_b64_avx2_decode(const char *in, size_t len, uint8_t *out)
{
    size_t done = 0;

    /* each step stores 32 bytes (24 valid): keep 16 characters in hand so
     * the spare 8 bytes land inside the output the caller sized */
    for (; len - done >= 48; done += 32, out += 24) {
        __m256i c = _mm256_loadu_si256((const __m256i *)(in + done));
        __m256i bad, v = dec_translate(c, &bad);
        if (!_mm256_testz_si256(bad, bad))
            break;
        _mm256_storeu_si256((__m256i *)out, dec_pack(v));
    }
    return done;
}

#else /* no AVX2 build support: the scalar code does everything */

int cryppo_b64_avx2_available(void)
{
    return 0;
}

size_t cryppo_b64_avx2_encode(const uint8_t *in, size_t len, char *out)
{
    (void)in;
    (void)len;
    (void)out;
    return 0;
}

size_t cryppo_b64_avx2_decode(const char *in, size_t len, uint8_t *out)
{
    (void)in;
    (void)len;
    (void)out;
    return 0;
}

#endif
