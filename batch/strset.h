/* A hash map from strings to indexes, for sets of keys that may be large
 * (tens of thousands of indicator keys): lookups in constant time where a
 * list would make the summary quadratic. The map does not copy its keys:
 * each must stay alive and unchanged while the map holds it. */
#ifndef KPICALC_STRSET_H
#define KPICALC_STRSET_H

#include <stddef.h>

struct kc_strset {
    struct kc_strset_slot *slots;
    size_t cap, n;
    int fold; /* compare ASCII letters without case */
};

#define KC_STRSET_NONE ((size_t)-1)

/* An empty map; FOLD: "Key" and "KEY" are the same key. */
void kc_strset_init(struct kc_strset *s, int fold);
void kc_strset_free(struct kc_strset *s);

/* The value stored for KEY, or KC_STRSET_NONE. */
size_t kc_strset_get(const struct kc_strset *s, const char *key);

/* Stores KEY with VALUE unless KEY is there already. 1 when added, 0 when
 * it was there (its value unchanged), -1 when memory runs out. */
int kc_strset_add(struct kc_strset *s, const char *key, size_t value);

#endif
