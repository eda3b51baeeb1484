/* A structural check of ZIP-based workbooks. */
#include "zipcheck.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
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
    int (*inflate_init2)(struct kc_zstream *, int, const char *, int);
    int (*inflate)(struct kc_zstream *, int);
    int (*inflate_end)(struct kc_zstream *);
    unsigned long (*crc32)(unsigned long, const unsigned char *, unsigned);
    const char *(*version)(void);
} z;

#define Z_OK 0
#define Z_STREAM_END 1
#define Z_NO_FLUSH 0

static int load_zlib(void)
{
    if (z.tried)
        return z.ok;
    z.tried = 1;
    void *h = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return 0;
    *(void **)&z.inflate_init2 = dlsym(h, "inflateInit2_");
    *(void **)&z.inflate = dlsym(h, "inflate");
    *(void **)&z.inflate_end = dlsym(h, "inflateEnd");
    *(void **)&z.crc32 = dlsym(h, "crc32");
    *(void **)&z.version = dlsym(h, "zlibVersion");
    z.ok =
        z.inflate_init2 && z.inflate && z.inflate_end && z.crc32 && z.version;
    return z.ok;
}

/* Inflates (METHOD 8) or reads (METHOD 0) a member's data and checks its
 * size and CRC-32 against the central directory. */
static int check_member(const unsigned char *data, size_t csize, int method,
                        uint32_t want_crc, uint32_t want_size, char *why,
                        size_t whysz)
{
    if (method == 0) {
        if (csize != want_size) {
            snprintf(why, whysz, "its size is wrong");
            return -1;
        }
        unsigned long crc = z.crc32(0, NULL, 0);
        for (size_t off = 0; off < csize;) {
            unsigned n =
                csize - off > (1u << 30) ? (1u << 30) : (unsigned)(csize - off);
            crc = z.crc32(crc, data + off, n);
            off += n;
        }
        if ((uint32_t)crc != want_crc) {
            snprintf(why, whysz, "its checksum is wrong");
            return -1;
        }
        return 0;
    }
    if (method != 8)
        return 0; /* not ours to judge */
    struct kc_zstream st;
    memset(&st, 0, sizeof st);
    if (z.inflate_init2(&st, -15, z.version(), (int)sizeof st) != Z_OK) {
        snprintf(why, whysz, "cannot inflate it");
        return -1;
    }
    static unsigned char out[65536];
    unsigned long crc = z.crc32(0, NULL, 0);
    unsigned long long total = 0;
    st.next_in = data;
    st.avail_in = csize > 0xFFFFFFFFu ? 0xFFFFFFFFu : (unsigned)csize;
    int rc;
    do {
        st.next_out = out;
        st.avail_out = sizeof out;
        rc = z.inflate(&st, Z_NO_FLUSH);
        size_t got = sizeof out - st.avail_out;
        crc = z.crc32(crc, out, (unsigned)got);
        total += got;
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        if (rc == Z_OK && got == 0 && st.avail_in == 0)
            break; /* the data ends before the stream does */
    } while (rc != Z_STREAM_END);
    z.inflate_end(&st);
    if (rc != Z_STREAM_END) {
        snprintf(why, whysz, "its compressed data is damaged");
        return -1;
    }
    if (total != want_size || (uint32_t)crc != want_crc) {
        snprintf(why, whysz, "its checksum is wrong");
        return -1;
    }
    return 0;
}

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return rd16(p) | rd16(p + 2) << 16;
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

/* Notes in INFO what the member NAME (of NLEN bytes), whose data is the
 * CSIZE bytes at DATA stored with METHOD at offset LOFF, says about the
 * kind of document. */
static void note_member(struct kc_zip_info *info, const unsigned char *name,
                        uint32_t nlen, uint32_t loff, int method,
                        const unsigned char *data, uint32_t csize)
{
    static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
    static const char wb[] = "xl/workbook.xml";
    if (loff == 0 && method == 0 && nlen == 8 &&
        memcmp(name, "mimetype", 8) == 0 && csize == sizeof ods - 1 &&
        memcmp(data, ods, csize) == 0)
        info->odf_spreadsheet = 1;
    if (nlen == sizeof wb - 1 && memcmp(name, wb, nlen) == 0)
        info->ooxml_workbook = 1;
}

static int check(const unsigned char *m, size_t size, struct kc_zip_info *info,
                 char *err, size_t errsz)
{
    if (size < 22) {
        snprintf(err, errsz, "truncated ZIP archive (%zu bytes)", size);
        return -1;
    }
    /* The end-of-central-directory record is in the last 64 KiB + 22. */
    size_t lo = size > 65557 ? size - 65557 : 0;
    size_t eocd = (size_t)-1;
    for (size_t i = size - 22 + 1; i-- > lo;) {
        if (memcmp(m + i, "PK\5\6", 4) == 0) {
            eocd = i;
            break;
        }
    }
    if (eocd == (size_t)-1) {
        snprintf(err, errsz,
                 "truncated or damaged ZIP archive: no end of central "
                 "directory");
        return -1;
    }
    uint32_t entries = rd16(m + eocd + 10);
    uint32_t cd_size = rd32(m + eocd + 12);
    uint32_t cd_off = rd32(m + eocd + 16);
    if (cd_off == 0xFFFFFFFFu || cd_size == 0xFFFFFFFFu || entries == 0xFFFFu)
        return 0; /* ZIP64: beyond this simple check */
    if ((size_t)cd_off + cd_size > eocd) {
        snprintf(err, errsz,
                 "truncated or damaged ZIP archive: central directory "
                 "outside the file");
        return -1;
    }
    if (entries == 0) {
        snprintf(err, errsz, "empty ZIP archive");
        return -1;
    }
    size_t p = cd_off;
    for (uint32_t i = 0; i < entries; i++) {
        if (p + 46 > eocd || memcmp(m + p, "PK\1\2", 4) != 0) {
            snprintf(err, errsz,
                     "damaged ZIP archive: bad central directory entry %u",
                     i + 1);
            return -1;
        }
        uint32_t csize = rd32(m + p + 20);
        uint32_t nlen = rd16(m + p + 28), xlen = rd16(m + p + 30),
                 clen = rd16(m + p + 32);
        uint32_t loff = rd32(m + p + 42);
        /* how much of the member's name can be shown */
        int shown = p + 46 + nlen <= eocd ? (int)(nlen < 200 ? nlen : 200) : 0;
        if (csize != 0xFFFFFFFFu && loff != 0xFFFFFFFFu) {
            if ((size_t)loff + 30 > cd_off ||
                memcmp(m + loff, "PK\3\4", 4) != 0) {
                snprintf(err, errsz,
                         "damaged ZIP archive: member %.*s has no local "
                         "header",
                         shown, (const char *)m + p + 46);
                return -1;
            }
            size_t data =
                (size_t)loff + 30 + rd16(m + loff + 26) + rd16(m + loff + 28);
            if (data + csize > cd_off) {
                snprintf(err, errsz,
                         "truncated ZIP archive: member %.*s is cut short",
                         shown, (const char *)m + p + 46);
                return -1;
            }
            int method = (int)rd16(m + p + 10);
            int encrypted = rd16(m + p + 8) & 1;
            char why[64];
            if (!encrypted && load_zlib() &&
                check_member(m + data, csize, method, rd32(m + p + 16),
                             rd32(m + p + 24), why, sizeof why) != 0) {
                snprintf(err, errsz, "damaged ZIP archive: member %.*s: %s",
                         shown, (const char *)m + p + 46, why);
                return -1;
            }
            if (p + 46 + nlen <= eocd)
                note_member(info, m + p + 46, nlen, loff, method, m + data,
                            csize);
        }
        p += 46 + (size_t)nlen + xlen + clen;
    }
    return 0;
}

int kc_zip_check(const char *path, struct kc_zip_info *info, char *err,
                 size_t errsz)
{
    struct kc_zip_info ignored = {0, 0};
    info = info ? info : &ignored;
    memset(info, 0, sizeof *info);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errsz, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errsz, "cannot open: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (st.st_size == 0) {
        close(fd);
        snprintf(err, errsz, "empty file");
        return -1;
    }
    size_t size = (size_t)st.st_size;
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(err, errsz, "cannot read: %s", strerror(errno));
        return -1;
    }
    int rc = check(m, size, info, err, errsz);
    munmap(m, size);
    return rc;
}
