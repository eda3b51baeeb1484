/* zipmaker.h - test helpers for zipcheck and outcheck: a small ZIP writer
 * (stored or deflated members, optional data descriptors, optional ZIP64
 * everywhere), fixture reading and byte-level damage. Deflating uses the
 * zlib that zipcheck loads (compress2, header and trailer stripped). */
#ifndef KPICALC_ZIPMAKER_H
#define KPICALC_ZIPMAKER_H

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zm_member {
    const char *name;
    const void *data;
    size_t len;
    int deflate;
};

struct zm_opts {
    int zip64;      /* ZIP64 extra fields (central and local), end records */
    int descriptor; /* data descriptors for deflated members */
    int short64;    /* ZIP64 central extra field left out (damage) */
};

struct zm_buf {
    unsigned char *p;
    size_t len, cap;
};

static inline void zm_put(struct zm_buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static inline void zm_16(struct zm_buf *b, uint32_t v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    zm_put(b, x, 2);
}

static inline void zm_32(struct zm_buf *b, uint32_t v)
{
    zm_16(b, v & 0xFFFF);
    zm_16(b, v >> 16);
}

static inline void zm_64(struct zm_buf *b, uint64_t v)
{
    zm_32(b, (uint32_t)v);
    zm_32(b, (uint32_t)(v >> 32));
}

static inline void *zm_zlib(const char *sym)
{
    static void *h;
    if (!h)
        h = dlopen("libz.so.1", RTLD_NOW);
    return h ? dlsym(h, sym) : NULL;
}

/* Raw deflate of N bytes at P: malloc'd, length in *OUT. */
static inline unsigned char *zm_deflate(const void *p, size_t n, size_t *out)
{
    int (*compress2)(unsigned char *, unsigned long *, const unsigned char *,
                     unsigned long, int);
    unsigned long (*bound)(unsigned long);
    *(void **)&compress2 = zm_zlib("compress2");
    *(void **)&bound = zm_zlib("compressBound");
    if (!compress2 || !bound)
        abort();
    unsigned long cap = bound(n);
    unsigned char *z = malloc(cap);
    if (!z || compress2(z, &cap, p, n, 9) != 0)
        abort();
    /* zlib stream: 2-byte header, raw deflate, 4-byte Adler-32 */
    *out = cap - 6;
    memmove(z, z + 2, *out);
    return z;
}

static inline unsigned long zm_crc(const void *p, size_t n)
{
    unsigned long (*crc32)(unsigned long, const unsigned char *, unsigned);
    *(void **)&crc32 = zm_zlib("crc32");
    if (!crc32)
        abort();
    return crc32(0, p, (unsigned)n);
}

/* Builds an archive of the N members: malloc'd, length in *LEN. */
static inline unsigned char *zm_build(const struct zm_member *mem, int n,
                                      const struct zm_opts *o, size_t *len)
{
    struct zm_buf b = {NULL, 0, 0}, cd = {NULL, 0, 0};
    for (int i = 0; i < n; i++) {
        size_t csize = mem[i].len;
        unsigned char *z = NULL;
        const void *data = mem[i].data;
        if (mem[i].deflate) {
            z = zm_deflate(mem[i].data, mem[i].len, &csize);
            data = z;
        }
        uint32_t crc = (uint32_t)zm_crc(mem[i].data, mem[i].len);
        int desc = o->descriptor && mem[i].deflate;
        uint32_t flags = desc ? 8 : 0, method = mem[i].deflate ? 8 : 0;
        uint32_t nlen = (uint32_t)strlen(mem[i].name);
        uint64_t loff = b.len;
        /* local header */
        zm_32(&b, 0x04034b50);
        zm_16(&b, o->zip64 ? 45 : 20);
        zm_16(&b, flags);
        zm_16(&b, method);
        zm_32(&b, 0);
        zm_32(&b, desc ? 0 : crc);
        zm_32(&b, o->zip64 ? 0xFFFFFFFFu : desc ? 0 : (uint32_t)csize);
        zm_32(&b, o->zip64 ? 0xFFFFFFFFu : desc ? 0 : (uint32_t)mem[i].len);
        zm_16(&b, nlen);
        zm_16(&b, o->zip64 ? 20 : 0);
        zm_put(&b, mem[i].name, nlen);
        if (o->zip64) {
            zm_16(&b, 1);
            zm_16(&b, 16);
            zm_64(&b, desc ? 0 : mem[i].len);
            zm_64(&b, desc ? 0 : csize);
        }
        zm_put(&b, data, csize);
        if (desc) {
            zm_32(&b, 0x08074b50);
            zm_32(&b, crc);
            if (o->zip64) {
                zm_64(&b, csize);
                zm_64(&b, mem[i].len);
            } else {
                zm_32(&b, (uint32_t)csize);
                zm_32(&b, (uint32_t)mem[i].len);
            }
        }
        free(z);
        /* central entry */
        int x64 = o->zip64 && !o->short64;
        zm_32(&cd, 0x02014b50);
        zm_16(&cd, o->zip64 ? 45 : 20);
        zm_16(&cd, o->zip64 ? 45 : 20);
        zm_16(&cd, flags);
        zm_16(&cd, method);
        zm_32(&cd, 0);
        zm_32(&cd, crc);
        zm_32(&cd, o->zip64 ? 0xFFFFFFFFu : (uint32_t)csize);
        zm_32(&cd, o->zip64 ? 0xFFFFFFFFu : (uint32_t)mem[i].len);
        zm_16(&cd, nlen);
        zm_16(&cd, x64 ? 28 : 0);
        zm_16(&cd, 0);
        zm_16(&cd, 0);
        zm_16(&cd, 0);
        zm_32(&cd, 0);
        zm_32(&cd, o->zip64 ? 0xFFFFFFFFu : (uint32_t)loff);
        zm_put(&cd, mem[i].name, nlen);
        if (x64) {
            zm_16(&cd, 1);
            zm_16(&cd, 24);
            zm_64(&cd, mem[i].len);
            zm_64(&cd, csize);
            zm_64(&cd, loff);
        }
    }
    uint64_t cd_off = b.len;
    zm_put(&b, cd.p, cd.len);
    free(cd.p);
    if (o->zip64) {
        uint64_t e64 = b.len;
        zm_32(&b, 0x06064b50);
        zm_64(&b, 44);
        zm_16(&b, 45);
        zm_16(&b, 45);
        zm_32(&b, 0);
        zm_32(&b, 0);
        zm_64(&b, (uint64_t)n);
        zm_64(&b, (uint64_t)n);
        zm_64(&b, cd.len);
        zm_64(&b, cd_off);
        zm_32(&b, 0x07064b50);
        zm_32(&b, 0);
        zm_64(&b, e64);
        zm_32(&b, 1);
    }
    zm_32(&b, 0x06054b50);
    zm_16(&b, 0);
    zm_16(&b, 0);
    zm_16(&b, o->zip64 ? 0xFFFF : (uint32_t)n);
    zm_16(&b, o->zip64 ? 0xFFFF : (uint32_t)n);
    zm_32(&b, o->zip64 ? 0xFFFFFFFFu : (uint32_t)cd.len);
    zm_32(&b, o->zip64 ? 0xFFFFFFFFu : (uint32_t)cd_off);
    zm_16(&b, 0);
    *len = b.len;
    return b.p;
}

/* Reads a fixture of tests/batchunit/fixtures: malloc'd, or NULL. */
static inline unsigned char *zm_fixture(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "tests/batchunit/fixtures/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot read %s (run from the repository root)\n",
                path);
        *len = 0;
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(n > 0 ? (size_t)n : 1);
    *len = p ? fread(p, 1, (size_t)n, f) : 0;
    fclose(f);
    return p;
}

static inline unsigned char *zm_copy(const unsigned char *p, size_t n)
{
    unsigned char *c = malloc(n ? n : 1);
    if (!c)
        abort();
    memcpy(c, p, n);
    return c;
}

/* The offset of the first NEEDLE (N bytes) at or after FROM, or -1. */
static inline long zm_find(const unsigned char *p, size_t len, size_t from,
                           const void *needle, size_t n)
{
    for (size_t i = from; i + n <= len; i++)
        if (memcmp(p + i, needle, n) == 0)
            return (long)i;
    return -1;
}

/* The offset of the local header of member NAME, or -1. */
static inline long zm_local(const unsigned char *p, size_t len,
                            const char *name)
{
    size_t n = strlen(name);
    for (long i = 0; (i = zm_find(p, len, (size_t)i, "PK\3\4", 4)) >= 0; i++) {
        if ((size_t)i + 30 + n <= len &&
            (size_t)(p[i + 26] | p[i + 27] << 8) == n &&
            memcmp(p + i + 30, name, n) == 0)
            return i;
    }
    return -1;
}

/* The offset of the central directory entry of member NAME, or -1. */
static inline long zm_central(const unsigned char *p, size_t len,
                              const char *name)
{
    size_t n = strlen(name);
    for (long i = 0; (i = zm_find(p, len, (size_t)i, "PK\1\2", 4)) >= 0; i++) {
        if ((size_t)i + 46 + n <= len &&
            (size_t)(p[i + 28] | p[i + 29] << 8) == n &&
            memcmp(p + i + 46, name, n) == 0)
            return i;
    }
    return -1;
}

/* The offset of member NAME's data (after its local header), or -1. */
static inline long zm_data(const unsigned char *p, size_t len, const char *name)
{
    long l = zm_local(p, len, name);
    if (l < 0)
        return -1;
    return l + 30 + (p[l + 26] | p[l + 27] << 8) + (p[l + 28] | p[l + 29] << 8);
}

/* Whether MSG contains WANT; prints it when not. */
static inline int zm_says(const char *msg, const char *want)
{
    if (strstr(msg, want))
        return 1;
    fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", msg, want);
    return 0;
}

#endif
