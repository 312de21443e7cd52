/* bench/remote/fill.h - put many encrypted slots on the server quickly:
 * one POST /items per item carrying all its slots (slots_attributes),
 * each value Aes256Gcm under the account's private DEK, as the SDK and
 * the module write them. */
#ifndef BENCH_REMOTE_FILL_H
#define BENCH_REMOTE_FILL_H

#include "remote.h"

/* Every value starts with this. */
#define VALUE_PREFIX "bench value "

/* The value of slot j of item i, as fill_slots encrypts it. */
void fill_value(int item, int slot, char *buf, size_t len);

/* items x per_item slots.  0 on success. */
int fill_slots(const remote_session *s, int items, int per_item);

#endif /* BENCH_REMOTE_FILL_H */
