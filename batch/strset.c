/* A hash map from strings to indexes (open addressing, FNV-1a). */
#include "strset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct kc_strset_slot {
    const char *key; /* NULL: free */
    size_t value;
    unsigned long long hash;
};

void kc_strset_init(struct kc_strset *s, int fold)
{
    memset(s, 0, sizeof *s);
    s->fold = fold;
}

void kc_strset_free(struct kc_strset *s)
{
    if (!s)
        return;
    free(s->slots);
    s->slots = NULL;
    s->cap = s->n = 0;
}

static unsigned long long hash_of(const struct kc_strset *s, const char *key)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        unsigned char c = *p;
        if (s->fold && c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        h = (h ^ c) * 0x100000001b3ULL;
    }
    return h;
}

static int same(const struct kc_strset *s, const char *a, const char *b)
{
    return s->fold ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* The slot of KEY, or the free slot where it would go. */
static struct kc_strset_slot *slot_of(const struct kc_strset *s,
                                      const char *key, unsigned long long h)
{
    size_t mask = s->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct kc_strset_slot *x = &s->slots[i];
        if (!x->key || (x->hash == h && same(s, x->key, key)))
            return x;
    }
}

size_t kc_strset_get(const struct kc_strset *s, const char *key)
{
    if (!s || !key || s->cap == 0)
        return KC_STRSET_NONE;
    const struct kc_strset_slot *x = slot_of(s, key, hash_of(s, key));
    return x->key ? x->value : KC_STRSET_NONE;
}

static int grow(struct kc_strset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 64;
    if (cap < s->cap)
        return -1;
    struct kc_strset_slot *old = s->slots;
    size_t oldcap = s->cap;
    s->slots = calloc(cap, sizeof *s->slots);
    if (!s->slots) {
        s->slots = old;
        return -1;
    }
    s->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *slot_of(s, old[i].key, old[i].hash) = old[i];
    free(old);
    return 0;
}

int kc_strset_add(struct kc_strset *s, const char *key, size_t value)
{
    if (!s || !key)
        return -1;
    /* at most half full, so a probe always ends */
    if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
        return -1;
    unsigned long long h = hash_of(s, key);
    struct kc_strset_slot *x = slot_of(s, key, h);
    if (x->key)
        return 0;
    *x = (struct kc_strset_slot){key, value, h};
    s->n++;
    return 1;
}
