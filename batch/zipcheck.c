/* A structural check of ZIP archives (rules in zipcheck.h). */
#include "zipcheck.h"

#include "buf.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* zlib, loaded at run time (LibreOffice itself needs libz.so.1): its
 * z_stream, whose layout is part of zlib's stable ABI. */
struct kc_zstream {
    const unsigned char *next_in;
    unsigned avail_in;
    unsigned long total_in;
    unsigned char *next_out;
    unsigned avail_out;
    unsigned long total_out;
    const char *msg;
    void *state;
    void *zalloc, *zfree, *opaque;
    int data_type;
    unsigned long adler, reserved;
};

static struct {
    int tried, ok;
    char why[200];
    int (*inflate_init2)(struct kc_zstream *, int, const char *, int);
    int (*inflate)(struct kc_zstream *, int);
    int (*inflate_end)(struct kc_zstream *);
    unsigned long (*crc32)(unsigned long, const unsigned char *, unsigned);
    const char *(*version)(void);
} z;

#define Z_OK 0
#define Z_STREAM_END 1
#define Z_NO_FLUSH 0
#define Z_BUF_ERROR (-5)
#define CHUNK 65536

static const char *zlib_name = "libz.so.1";

void kc_zlib_use(const char *soname)
{
    zlib_name = soname;
    z.tried = z.ok = 0;
}

int kc_zlib_load(struct kc_err *err)
{
    if (!z.tried) {
        z.tried = 1;
        void *h = dlopen(zlib_name, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            const char *e = dlerror();
            snprintf(z.why, sizeof z.why, "%s", e ? e : zlib_name);
        } else {
            *(void **)&z.inflate_init2 = dlsym(h, "inflateInit2_");
            *(void **)&z.inflate = dlsym(h, "inflate");
            *(void **)&z.inflate_end = dlsym(h, "inflateEnd");
            *(void **)&z.crc32 = dlsym(h, "crc32");
            *(void **)&z.version = dlsym(h, "zlibVersion");
            z.ok = z.inflate_init2 && z.inflate && z.inflate_end && z.crc32 &&
                   z.version;
            if (!z.ok)
                snprintf(z.why, sizeof z.why, "%s lacks inflate or crc32",
                         zlib_name);
        }
    }
    if (!z.ok)
        kc_err_set(err, "cannot check: zlib cannot be loaded (%s)", z.why);
    return z.ok ? 0 : -1;
}

static unsigned long crc_of(unsigned long crc, const unsigned char *p, size_t n)
{
    while (n > 0) {
        unsigned k = n > (1u << 30) ? (1u << 30) : (unsigned)n;
        crc = z.crc32(crc, p, k);
        p += k;
        n -= k;
    }
    return crc;
}

int kc_inflate(const unsigned char *in, size_t n, int raw,
               unsigned long long max_out,
               int (*sink)(void *, const unsigned char *, size_t), void *ctx,
               unsigned long long *out_len, struct kc_err *err)
{
    struct kc_zstream st;
    memset(&st, 0, sizeof st);
    if (z.inflate_init2(&st, raw ? -15 : 15, z.version(), (int)sizeof st) !=
        Z_OK) {
        kc_err_set(err, "cannot inflate it (out of memory)");
        return -1;
    }
    unsigned char *out = malloc(CHUNK);
    if (!out) {
        z.inflate_end(&st);
        kc_err_set(err, "out of memory");
        return -1;
    }
    unsigned long long total = 0;
    size_t left = n;
    int rc = Z_OK, res = 0;
    st.next_in = in;
    while (rc != Z_STREAM_END) {
        if (st.avail_in == 0 && left > 0) {
            st.avail_in = left > (1u << 30) ? (1u << 30) : (unsigned)left;
            left -= st.avail_in;
        }
        unsigned had_in = st.avail_in;
        st.next_out = out;
        st.avail_out = CHUNK;
        rc = z.inflate(&st, Z_NO_FLUSH);
        size_t got = CHUNK - st.avail_out;
        if (rc == Z_BUF_ERROR && st.avail_in == 0 && left == 0) {
            kc_err_set(err,
                       "its compressed data is damaged (it ends before its "
                       "last block)");
            res = -1;
            break;
        }
        if (rc != Z_OK && rc != Z_STREAM_END) {
            kc_err_set(err, "its compressed data is damaged (%s)",
                       st.msg ? st.msg : "inflate failed");
            res = -1;
            break;
        }
        if (got > max_out - total) {
            kc_err_set(err, "it inflates to more than %llu bytes", max_out);
            res = -1;
            break;
        }
        total += got;
        if (got > 0 && sink && sink(ctx, out, got) != 0) {
            res = -2;
            break;
        }
        if (rc == Z_OK && got == 0 && had_in == st.avail_in && left == 0) {
            kc_err_set(err,
                       "its compressed data is damaged (it ends before its "
                       "last block)");
            res = -1;
            break;
        }
    }
    z.inflate_end(&st);
    free(out);
    if (out_len)
        *out_len = total;
    return res;
}

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return rd16(p) | rd16(p + 2) << 16;
}

static uint64_t rd64(const unsigned char *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

int kc_is_zip(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    unsigned char sig[4];
    ssize_t r = read(fd, sig, 4);
    int e = errno;
    close(fd);
    if (r < 0) {
        errno = e;
        return -1;
    }
    return r == 4 && memcmp(sig, "PK\3\4", 4) == 0;
}

/* A member as the central directory and its local header describe it. */
struct member {
    const unsigned char *name;
    uint32_t nlen, flags, crc;
    int method;
    uint64_t csize, usize, loff, data, end; /* end: after its descriptor */
};

struct archive {
    const unsigned char *m;
    size_t size;
    uint64_t cd_off, cd_size, cd_end, entries;
    struct member *mem;
    struct kc_err *err;
};

static int fail(struct archive *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct archive *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kc_err_vset(a->err, fmt, ap);
    va_end(ap);
    return -1;
}

/* How much of a name to show in a message. */
#define SHOWN(n) (int)((n) < 200 ? (n) : 200)

/* Rules 1 and 2: the end records and where the central directory is. */
static int find_directory(struct archive *a)
{
    const unsigned char *m = a->m;
    size_t size = a->size;
    if (size < 22)
        return fail(a, "truncated ZIP archive (%zu bytes)", size);
    /* The end record is in the last 64 KiB + 22, its comment up to the
     * end of the file. */
    size_t lo = size > 65557 ? size - 65557 : 0;
    size_t eocd = (size_t)-1;
    for (size_t i = size - 22 + 1; i-- > lo;) {
        if (memcmp(m + i, "PK\5\6", 4) == 0 &&
            i + 22 + rd16(m + i + 20) <= size) {
            eocd = i;
            break;
        }
    }
    if (eocd == (size_t)-1)
        return fail(a, "truncated or damaged ZIP archive: no end of central "
                       "directory");
    uint32_t disk = rd16(m + eocd + 4), cd_disk = rd16(m + eocd + 6);
    a->entries = rd16(m + eocd + 10);
    a->cd_size = rd32(m + eocd + 12);
    a->cd_off = rd32(m + eocd + 16);
    a->cd_end = eocd;
    int wants64 = a->cd_off == 0xFFFFFFFFu || a->cd_size == 0xFFFFFFFFu ||
                  a->entries == 0xFFFFu || disk == 0xFFFFu ||
                  cd_disk == 0xFFFFu;
    if (eocd >= 20 && memcmp(m + eocd - 20, "PK\6\7", 4) == 0) {
        /* the ZIP64 end record's locator */
        uint64_t off = rd64(m + eocd - 20 + 8);
        if (rd32(m + eocd - 20 + 4) != 0 || rd32(m + eocd - 20 + 16) > 1)
            return fail(a, "ZIP archive split over several files");
        if (off > eocd - 20 || eocd - 20 - off < 56 ||
            memcmp(m + off, "PK\6\6", 4) != 0)
            return fail(a, "truncated or damaged ZIP archive: no ZIP64 end "
                           "of central directory where its locator says");
        const unsigned char *r = m + off;
        if (rd32(r + 16) != 0 || rd32(r + 20) != 0)
            return fail(a, "ZIP archive split over several files");
        a->entries = rd64(r + 32);
        a->cd_size = rd64(r + 40);
        a->cd_off = rd64(r + 48);
        a->cd_end = off;
    } else if (wants64) {
        return fail(a, "truncated or damaged ZIP archive: its end record "
                       "calls for a ZIP64 end record, which is missing");
    } else if (disk != 0 || cd_disk != 0) {
        return fail(a, "ZIP archive split over several files");
    }
    if (a->cd_off > a->cd_end || a->cd_size > a->cd_end - a->cd_off)
        return fail(a, "truncated or damaged ZIP archive: central directory "
                       "outside the file");
    if (a->entries == 0)
        return fail(a, "empty ZIP archive");
    if (a->entries > a->cd_size / 46)
        return fail(a,
                    "damaged ZIP archive: a central directory of %llu "
                    "bytes cannot hold %llu entries",
                    (unsigned long long)a->cd_size,
                    (unsigned long long)a->entries);
    return 0;
}

/* Finds the ZIP64 extra field (id 1) among the XLEN bytes at X: its data,
 * with its length in *LEN, or NULL. */
static const unsigned char *zip64_extra(const unsigned char *x, uint32_t xlen,
                                        uint32_t *len)
{
    uint32_t q = 0;
    while (q + 4 <= xlen) {
        uint32_t id = rd16(x + q), n = rd16(x + q + 2);
        if (q + 4 + n > xlen)
            break;
        if (id == 1) {
            *len = n;
            return x + q + 4;
        }
        q += 4 + n;
    }
    return NULL;
}

/* Rule 3 for a central entry at P: replaces the fields at 0xFFFFFFFF by
 * their ZIP64 values. */
static int central_zip64(struct archive *a, const unsigned char *p,
                         struct member *mb)
{
    uint32_t xlen = rd16(p + 30), n = 0;
    const unsigned char *x = zip64_extra(p + 46 + mb->nlen, xlen, &n);
    uint32_t q = 0;
    uint64_t *fields[3] = {&mb->usize, &mb->csize, &mb->loff};
    for (int i = 0; i < 3; i++) {
        if (*fields[i] != 0xFFFFFFFFu)
            continue;
        if (!x || q + 8 > n)
            return fail(a,
                        "damaged ZIP archive: member %.*s: its ZIP64 "
                        "extra field is missing or short",
                        SHOWN(mb->nlen), (const char *)mb->name);
        *fields[i] = rd64(x + q);
        q += 8;
    }
    if (rd16(p + 34) == 0xFFFFu) {
        if (!x || q + 4 > n)
            return fail(a,
                        "damaged ZIP archive: member %.*s: its ZIP64 "
                        "extra field is missing or short",
                        SHOWN(mb->nlen), (const char *)mb->name);
        if (rd32(x + q) != 0)
            return fail(a, "ZIP archive split over several files");
    } else if (rd16(p + 34) != 0) {
        return fail(a, "ZIP archive split over several files");
    }
    return 0;
}

/* Rule 4: the local header of MB and its data descriptor. */
static int local_header(struct archive *a, struct member *mb)
{
    const unsigned char *m = a->m;
    int shown = SHOWN(mb->nlen);
    const char *name = (const char *)mb->name;
    if (mb->loff > a->cd_off || a->cd_off - mb->loff < 30 ||
        memcmp(m + mb->loff, "PK\3\4", 4) != 0)
        return fail(a, "damaged ZIP archive: member %.*s has no local header",
                    shown, name);
    const unsigned char *l = m + mb->loff;
    uint32_t lflags = rd16(l + 6), lnlen = rd16(l + 26), lxlen = rd16(l + 28);
    uint64_t data = mb->loff + 30 + (uint64_t)lnlen + lxlen;
    if (data > a->cd_off)
        return fail(a, "truncated ZIP archive: member %.*s is cut short", shown,
                    name);
    if (lnlen != mb->nlen || memcmp(l + 30, mb->name, lnlen) != 0)
        return fail(a,
                    "damaged ZIP archive: member %.*s: its local header "
                    "names another member (%.*s)",
                    shown, name, SHOWN(lnlen), (const char *)l + 30);
    if ((int)rd16(l + 8) != mb->method)
        return fail(a,
                    "damaged ZIP archive: member %.*s: its local header "
                    "gives another compression method (%u, not %d)",
                    shown, name, rd16(l + 8), mb->method);
    uint32_t n = 0;
    const unsigned char *x = zip64_extra(l + 30 + lnlen, lxlen, &n);
    int local64 = x && n >= 16;
    if (!(lflags & 8)) {
        uint64_t lus = rd32(l + 22), lcs = rd32(l + 18);
        if (lus == 0xFFFFFFFFu || lcs == 0xFFFFFFFFu) {
            if (!local64)
                return fail(a,
                            "damaged ZIP archive: member %.*s: its local "
                            "ZIP64 extra field is missing or short",
                            shown, name);
            lus = rd64(x);
            lcs = rd64(x + 8);
        }
        if (rd32(l + 14) != mb->crc || lus != mb->usize || lcs != mb->csize)
            return fail(a,
                        "damaged ZIP archive: member %.*s: its local "
                        "header does not match the central directory "
                        "(CRC-32 or sizes)",
                        shown, name);
    }
    if (mb->csize > a->cd_off - data)
        return fail(a, "truncated ZIP archive: member %.*s is cut short", shown,
                    name);
    mb->data = data;
    mb->end = data + mb->csize;
    if (lflags & 8) {
        /* the data descriptor: [signature] CRC-32, sizes of 4 or 8 bytes */
        uint64_t d = mb->end, room = a->cd_off - d;
        const unsigned char *p = m + d;
        int sig = room >= 4 && memcmp(p, "PK\7\10", 4) == 0;
        uint64_t len = 0;
        for (int s = sig; s >= 0 && !len; s--) {
            const unsigned char *q = p + (s ? 4 : 0);
            uint64_t base = s ? 4 : 0;
            if (room >= base + 12 && rd32(q) == mb->crc &&
                rd32(q + 4) == mb->csize && rd32(q + 8) == mb->usize)
                len = base + 12;
            else if (room >= base + 20 && rd32(q) == mb->crc &&
                     rd64(q + 4) == mb->csize && rd64(q + 12) == mb->usize)
                len = base + 20;
        }
        if (!len)
            return fail(a,
                        "damaged ZIP archive: member %.*s: its data "
                        "descriptor is missing or does not match the "
                        "central directory",
                        shown, name);
        mb->end += len;
    }
    return 0;
}

static int by_offset(const void *x, const void *y)
{
    const struct member *a = x, *b = y;
    return a->loff < b->loff ? -1 : a->loff > b->loff;
}

/* Rules 2-5 and 7 over the whole central directory, before any data is
 * read. */
static int read_directory(struct archive *a, const struct kc_zip_limits *lim)
{
    const unsigned char *m = a->m;
    uint64_t p = a->cd_off, cd_stop = a->cd_off + a->cd_size;
    unsigned long long total = 0;
    for (uint64_t i = 0; i < a->entries; i++) {
        if (cd_stop - p < 46 || memcmp(m + p, "PK\1\2", 4) != 0)
            return fail(a,
                        "damaged ZIP archive: bad central directory entry "
                        "%llu",
                        (unsigned long long)i + 1);
        const unsigned char *e = m + p;
        struct member *mb = &a->mem[i];
        mb->nlen = rd16(e + 28);
        uint64_t elen = 46 + (uint64_t)mb->nlen + rd16(e + 30) + rd16(e + 32);
        if (elen > cd_stop - p)
            return fail(a,
                        "damaged ZIP archive: central directory entry %llu "
                        "runs past the directory",
                        (unsigned long long)i + 1);
        mb->name = e + 46;
        mb->flags = rd16(e + 8);
        mb->method = (int)rd16(e + 10);
        mb->crc = rd32(e + 16);
        mb->csize = rd32(e + 20);
        mb->usize = rd32(e + 24);
        mb->loff = rd32(e + 42);
        if (central_zip64(a, e, mb) != 0 || local_header(a, mb) != 0)
            return -1;
        int shown = SHOWN(mb->nlen);
        const char *name = (const char *)mb->name;
        if (!(mb->flags & 1) && mb->method != 0 && mb->method != 8)
            return fail(a,
                        "damaged ZIP archive: member %.*s: unknown "
                        "compression method %d",
                        shown, name, mb->method);
        if (!(mb->flags & 1) && mb->method == 0 && mb->csize != mb->usize)
            return fail(a,
                        "damaged ZIP archive: member %.*s: its size is "
                        "wrong",
                        shown, name);
        if (mb->usize > lim->ratio_above &&
            mb->csize <= ~0ULL / lim->max_ratio &&
            mb->usize > mb->csize * lim->max_ratio)
            return fail(a,
                        "refused ZIP archive: member %.*s would inflate "
                        "%llu bytes to %llu (more than %u times: a ZIP "
                        "bomb?)",
                        shown, name, (unsigned long long)mb->csize,
                        (unsigned long long)mb->usize, lim->max_ratio);
        if (mb->usize > lim->max_total - total)
            return fail(a,
                        "refused ZIP archive: its members would inflate "
                        "to more than %llu bytes (a ZIP bomb?)",
                        lim->max_total);
        total += mb->usize;
        p += elen;
    }
    if (p != cd_stop)
        return fail(a,
                    "damaged ZIP archive: the central directory holds more "
                    "than its %llu entries",
                    (unsigned long long)a->entries);
    /* rule 5, on a copy sorted by offset */
    size_t n = (size_t)a->entries;
    struct member *s = malloc(n * sizeof *s);
    if (!s)
        return fail(a, "out of memory");
    memcpy(s, a->mem, n * sizeof *s);
    qsort(s, n, sizeof *s, by_offset);
    for (size_t i = 1; i < n; i++) {
        if (s[i].loff < s[i - 1].end) {
            fail(a, "damaged ZIP archive: members %.*s and %.*s overlap",
                 SHOWN(s[i - 1].nlen), (const char *)s[i - 1].name,
                 SHOWN(s[i].nlen), (const char *)s[i].name);
            free(s);
            return -1;
        }
    }
    free(s);
    return 0;
}

/* Feeds the visitor while a member is read; remembers its failure. */
struct feed {
    const struct kc_zip_visitor *vis;
    int failed;
    struct kc_err err;
    unsigned long crc;
};

static int feed_data(void *ctx, const unsigned char *p, size_t n)
{
    struct feed *f = ctx;
    f->crc = crc_of(f->crc, p, n);
    if (f->vis && !f->failed && f->vis->data(f->vis->ctx, p, n, &f->err) != 0)
        f->failed = 1;
    return 0;
}

static void note_member(struct kc_zip_info *info, const struct member *mb,
                        const unsigned char *data)
{
    static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
    static const char wb[] = "xl/workbook.xml";
    if (mb->loff == 0 && mb->method == 0 && mb->nlen == 8 &&
        memcmp(mb->name, "mimetype", 8) == 0 && mb->csize == sizeof ods - 1 &&
        memcmp(data, ods, sizeof ods - 1) == 0)
        info->odf_spreadsheet = 1;
    if (mb->nlen == sizeof wb - 1 && memcmp(mb->name, wb, mb->nlen) == 0)
        info->ooxml_workbook = 1;
}

/* Rule 6 for one member, with the visitor. */
static int read_member(struct archive *a, uint64_t i,
                       const struct kc_zip_visitor *vis)
{
    struct member *mb = &a->mem[i];
    int shown = SHOWN(mb->nlen);
    const char *name = (const char *)mb->name;
    struct feed f = {NULL, 0, {""}, z.crc32(0, NULL, 0)};
    if (vis) {
        struct kc_zip_member km = {
            name,       mb->nlen,  (unsigned long)i, mb->loff,
            mb->method, mb->csize, mb->usize,        (int)(mb->flags & 1)};
        int want = vis->begin ? vis->begin(vis->ctx, &km, a->err) : 1;
        if (want < 0)
            return -1;
        if (want > 0 && vis->data && !(mb->flags & 1))
            f.vis = vis;
    }
    if (mb->flags & 1)
        return 0; /* encrypted: its data cannot be read */
    const unsigned char *data = a->m + mb->data;
    int bad = 0;
    if (mb->method == 0) {
        for (uint64_t off = 0; off < mb->csize; off += CHUNK) {
            size_t k =
                mb->csize - off > CHUNK ? CHUNK : (size_t)(mb->csize - off);
            feed_data(&f, data + off, k);
        }
    } else {
        unsigned long long got = 0;
        bad = kc_inflate(data, mb->csize, 1, mb->usize, feed_data, &f, &got,
                         a->err) != 0;
        if (!bad && got != mb->usize) {
            kc_err_set(a->err, "its size is wrong");
            bad = 1;
        }
    }
    if (!bad && (uint32_t)f.crc != mb->crc) {
        kc_err_set(a->err, "its checksum is wrong");
        bad = 1;
    }
    if (bad)
        return kc_err_wrap(a->err, "damaged ZIP archive: member %.*s: ", shown,
                           name);
    if (f.failed)
        return fail(a, "%s", f.err.msg);
    if (f.vis && vis->end && vis->end(vis->ctx, a->err) != 0)
        return -1;
    return 0;
}

int kc_zip_scan(const unsigned char *buf, size_t len,
                const struct kc_zip_limits *limits,
                const struct kc_zip_visitor *vis, struct kc_zip_info *info,
                struct kc_err *err)
{
    struct kc_zip_info ignored = {0, 0};
    info = info ? info : &ignored;
    memset(info, 0, sizeof *info);
    struct kc_zip_limits lim = {KC_ZIP_MAX_TOTAL, KC_ZIP_RATIO_ABOVE,
                                KC_ZIP_MAX_RATIO};
    if (limits) {
        lim.max_total = limits->max_total ? limits->max_total : lim.max_total;
        lim.ratio_above =
            limits->ratio_above ? limits->ratio_above : lim.ratio_above;
        lim.max_ratio = limits->max_ratio ? limits->max_ratio : lim.max_ratio;
    }
    struct archive a;
    memset(&a, 0, sizeof a);
    a.m = buf;
    a.size = len;
    a.err = err;
    if (len == 0)
        return fail(&a, "empty file");
    if (kc_zlib_load(err) != 0 || find_directory(&a) != 0)
        return -1;
    a.mem = calloc((size_t)a.entries, sizeof *a.mem);
    if (!a.mem)
        return fail(&a, "out of memory");
    int rc = read_directory(&a, &lim);
    struct kc_zip_info seen = {0, 0};
    for (uint64_t i = 0; rc == 0 && i < a.entries; i++) {
        rc = read_member(&a, i, vis);
        note_member(&seen, &a.mem[i], a.m + a.mem[i].data);
    }
    free(a.mem);
    if (rc == 0)
        *info = seen;
    return rc;
}

int kc_zip_check_mem(const unsigned char *buf, size_t len,
                     const struct kc_zip_limits *limits,
                     struct kc_zip_info *info, struct kc_err *err)
{
    return kc_zip_scan(buf, len, limits, NULL, info, err);
}

int kc_map_file(const char *path, const unsigned char **buf, size_t *len,
                struct kc_err *err)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        kc_err_sys(err, "cannot open");
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        kc_err_sys(err, "cannot open");
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        kc_err_set(err, "not a regular file");
        return -1;
    }
    if (st.st_size == 0) {
        close(fd);
        return 0;
    }
    size_t size = (size_t)st.st_size;
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        kc_err_sys(err, "cannot read");
        return -1;
    }
    *buf = m;
    *len = size;
    return 0;
}

void kc_unmap_file(const unsigned char *buf, size_t len)
{
    if (buf)
        munmap((void *)buf, len);
}

int kc_zip_check_limits(const char *path, const struct kc_zip_limits *limits,
                        struct kc_zip_info *info, struct kc_err *err)
{
    if (info)
        memset(info, 0, sizeof *info);
    const unsigned char *m;
    size_t size;
    if (kc_map_file(path, &m, &size, err) != 0)
        return -1;
    int rc = kc_zip_check_mem(m, size, limits, info, err);
    kc_unmap_file(m, size);
    return rc;
}

int kc_zip_check(const char *path, struct kc_zip_info *info, struct kc_err *err)
{
    return kc_zip_check_limits(path, NULL, info, err);
}

/* kc_zip_read_member's visitor: NAME's bytes into OUT. */
struct member_reader {
    const char *name;
    struct kc_buf *out;
    int found;
};

static int member_begin(void *ctx, const struct kc_zip_member *m,
                        struct kc_err *err)
{
    (void)err;
    struct member_reader *r = ctx;
    size_t n = strlen(r->name);
    int want = m->name_len == n && memcmp(m->name, r->name, n) == 0;
    r->found |= want;
    return want;
}

static int member_data(void *ctx, const unsigned char *p, size_t n,
                       struct kc_err *err)
{
    struct member_reader *r = ctx;
    if (kc_buf_add(r->out, (const char *)p, n) != 0)
        return kc_err_set(err, "out of memory");
    return 0;
}

static int member_end(void *ctx, struct kc_err *err)
{
    (void)ctx;
    (void)err;
    return 0;
}

int kc_zip_read_member(const char *path, const char *name, struct kc_buf *out,
                       struct kc_err *err)
{
    struct member_reader r = {name, out, 0};
    struct kc_zip_visitor vis = {&r, member_begin, member_data, member_end};
    const unsigned char *map = NULL;
    size_t len = 0, before = out->len;
    int rc = -1;
    if (kc_zlib_load(err) == 0 && kc_map_file(path, &map, &len, err) == 0 &&
        kc_zip_scan(map, len, NULL, &vis, NULL, err) == 0) {
        if (!r.found)
            kc_err_set(err, "no %s", name);
        else if (out->len == before)
            kc_err_set(err, "%s is empty", name);
        else
            rc = 0;
    }
    kc_unmap_file(map, len);
    return rc;
}
