/* A check of ZIP archives (.ods, .xlsx), in pure C: of inputs before they
 * are given to LibreOffice, which silently "repairs" a damaged archive
 * into an empty document (or aborts), and of kpicalc's own outputs before
 * they take their name (outcheck.h).
 *
 * An archive is whole when:
 *   1. its end-of-central-directory record is there (the ZIP64 end record
 *      and its locator too, when the archive uses them), on one disk;
 *   2. its central directory lies inside the file, before the end record,
 *      and its entries fill it exactly;
 *   3. each entry's ZIP64 extra field (central and local) holds the values
 *      its 0xFFFFFFFF fields stand for;
 *   4. each member's local header lies before the central directory and
 *      names the same member with the same compression method, and, unless
 *      it announces a data descriptor, the same CRC-32 and sizes; a data
 *      descriptor, when announced, follows the data and repeats them;
 *   5. no two members overlap;
 *   6. each member is stored or deflated (encrypted ones are not read), and
 *      inflates to exactly its recorded size and CRC-32;
 *   7. the members together inflate to at most a limit (2 GiB by default),
 *      and no member above 1 MiB inflates to more than 1000 times its
 *      compressed size (by default): a ZIP bomb is refused before it is
 *      inflated.
 * Inflating needs zlib, loaded at run time (libz.so.1, which LibreOffice
 * always brings): when it cannot be loaded, the check FAILS with that
 * reason (it never passes an archive it could not read). */
#ifndef KPICALC_ZIPCHECK_H
#define KPICALC_ZIPCHECK_H

#include "err.h"

#include <stddef.h>

/* Returns 1 when the file at PATH starts like a ZIP archive, 0 when it
 * does not, -1 when it cannot be read (errno set). */
int kc_is_zip(const char *path);

/* What the check saw of a whole archive's members. */
struct kc_zip_info {
    int odf_spreadsheet; /* first member "mimetype", stored, naming an
                            OpenDocument spreadsheet */
    int ooxml_workbook;  /* lists the member xl/workbook.xml */
};

/* Limits against ZIP bombs (rule 7). A field left 0 takes its default;
 * ~0ULL (or ~0u) means no limit. */
struct kc_zip_limits {
    unsigned long long max_total;   /* bytes inflated from all members */
    unsigned long long ratio_above; /* members that inflate to more bytes
                                       than this are held to max_ratio */
    unsigned max_ratio;             /* inflated / compressed size */
};
#define KC_ZIP_MAX_TOTAL (2ULL << 30)
#define KC_ZIP_RATIO_ABOVE (1ULL << 20)
#define KC_ZIP_MAX_RATIO 1000u

/* 0 when the archive at PATH is whole, with what it holds in INFO (when
 * not NULL); -1 with the reason in ERR otherwise. Default limits. */
int kc_zip_check(const char *path, struct kc_zip_info *info,
                 struct kc_err *err);

/* The same with LIMITS (NULL: the defaults). */
int kc_zip_check_limits(const char *path, const struct kc_zip_limits *limits,
                        struct kc_zip_info *info, struct kc_err *err);

/* The same for the LEN bytes at BUF. */
int kc_zip_check_mem(const unsigned char *buf, size_t len,
                     const struct kc_zip_limits *limits,
                     struct kc_zip_info *info, struct kc_err *err);

/* A member, as the visitor of kc_zip_scan sees it. */
struct kc_zip_member {
    const char *name; /* NAME_LEN bytes, not NUL-terminated */
    size_t name_len;
    unsigned long index;             /* in central directory order */
    unsigned long long local_offset; /* of its local header */
    int method;                      /* 0 stored, 8 deflated */
    unsigned long long csize, usize;
    int encrypted; /* its data is not read: no data, no end */
};

/* Called while the archive's members are read, in central directory order,
 * after the whole structure (rules 1-5, 7) has been checked. Each returns
 * 0, or -1 with a reason in ERR to fail the check. */
struct kc_zip_visitor {
    void *ctx;
    /* before a member's data: 1 to be given its data, 0 not, -1 fail
     * (an encrypted member gets neither data nor end) */
    int (*begin)(void *ctx, const struct kc_zip_member *m, struct kc_err *err);
    /* the next N bytes of its inflated data (pieces of at most 64 KiB:
     * a member is never held whole in memory) */
    int (*data)(void *ctx, const unsigned char *p, size_t n,
                struct kc_err *err);
    /* after its last piece, once its size and CRC-32 are right */
    int (*end)(void *ctx, struct kc_err *err);
};

/* kc_zip_check_mem with a visitor (VIS may be NULL). When the visitor
 * fails a member whose data turns out damaged, the damage is reported. */
int kc_zip_scan(const unsigned char *buf, size_t len,
                const struct kc_zip_limits *limits,
                const struct kc_zip_visitor *vis, struct kc_zip_info *info,
                struct kc_err *err);

/* Maps the regular file at PATH read-only: 0 with *BUF and *LEN (to give
 * back with kc_unmap_file; NULL and 0 for an empty file), or -1 with the
 * reason in ERR. */
int kc_map_file(const char *path, const unsigned char **buf, size_t *len,
                struct kc_err *err);
void kc_unmap_file(const unsigned char *buf, size_t len);

/* Appends to OUT the member NAME of the ZIP file at PATH (checked whole
 * as kc_zip_scan checks, with the default limits); loads zlib. 0, or -1
 * with the reason in ERR: unreadable, damaged, no such member, empty. */
struct kc_buf;
int kc_zip_read_member(const char *path, const char *name, struct kc_buf *out,
                       struct kc_err *err);

/* Loads zlib (once): 0, or -1 with the reason in ERR. */
int kc_zlib_load(struct kc_err *err);
/* For the tests: the zlib to load instead of libz.so.1 (loaded afresh). */
void kc_zlib_use(const char *soname);

/* Inflates the N bytes at IN (RAW: raw deflate, else a zlib stream) into
 * SINK (may be NULL; a non-zero return stops, giving -2), in pieces of at
 * most 64 KiB, at most MAX_OUT bytes: 0 at the end of the stream, with the
 * bytes made in *OUT_LEN (may be NULL); -1 with the reason in WHY when the
 * data is damaged, ends early or would make more than MAX_OUT bytes.
 * kc_zlib_load must have succeeded. */
int kc_inflate(const unsigned char *in, size_t n, int raw,
               unsigned long long max_out,
               int (*sink)(void *, const unsigned char *, size_t), void *ctx,
               unsigned long long *out_len, struct kc_err *err);

#endif
