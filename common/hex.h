/* common/hex.h - lower-case hexadecimal text of bytes, and back. */
#ifndef COMMON_HEX_H
#define COMMON_HEX_H

#include <stddef.h>
#include <stdint.h>

/* 2 * len lower-case digits and a NUL into out (2 * len + 1 chars). */
void hex_encode(const uint8_t *in, size_t len, char *out);
/* The value of one hex digit (either case), or -1. */
int hex_digit(char c);
/* Exactly 2 * len digits from text into out: 0, or -1 at the first
 * character that is not a hex digit (out is then partly written). */
int hex_decode(const char *text, uint8_t *out, size_t len);

#endif /* COMMON_HEX_H */
