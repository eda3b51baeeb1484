/* Input discovery (files, or folders searched for spreadsheets), stable
 * sharding of the inputs, and the mirrored output names. */
#ifndef KPICALC_PATHS_H
#define KPICALC_PATHS_H

#include "err.h"

#include <stddef.h>
#include <sys/types.h>

struct kc_input {
    char *path;  /* as given, or the folder given joined with rel */
    char *rel;   /* the path below the folder given, or the file's name */
    char *error; /* why the path cannot be processed, or NULL */
    dev_t dev;
    ino_t ino;
};

struct kc_inputs {
    struct kc_input *v;
    size_t n, cap;
};

/* Collects the inputs named by ARGS: a file is taken whatever its name; a
 * folder is searched recursively for .ods, .fods, .xlsx and .xls files
 * (hidden names skipped, symbolic links to folders not followed, entries in
 * byte order). A path that does not exist is kept with its error. A file
 * reached twice is kept once. Folders with the device and inode of
 * EXCLUDE (the output folder, when it exists) are skipped. 0, or -1 with a
 * message in ERR (out of memory, unreadable folder). */
int kc_discover(char *const *args, int nargs, const char *exclude,
                struct kc_inputs *out, struct kc_err *err);

/* kc_discover with FLAGS. Symbolic links with a workbook's name found in a
 * folder: one that leads to a regular file inside the input folders (as
 * resolved) is followed; one that leads outside them is kept with the
 * error "a symbolic link leading outside the input folders ..." unless
 * FLAGS has KC_DISCOVER_FOLLOW_LINKS; a dangling link and a link loop are
 * kept with their error (reported, never skipped silently); a link to a
 * folder is not followed. A path given in ARGS is taken as given. */
#define KC_DISCOVER_FOLLOW_LINKS 1
int kc_discover_ex(char *const *args, int nargs, const char *exclude, int flags,
                   struct kc_inputs *out, struct kc_err *err);

void kc_inputs_free(struct kc_inputs *in);

/* 1 when NAME ends in a spreadsheet extension (any case), else 0. */
int kc_is_spreadsheet_name(const char *name);

/* The 0-based shard (of N) that REL belongs to: FNV-1a of REL modulo N.
 * Depends only on REL, so every machine agrees. */
unsigned kc_shard_of(const char *rel, unsigned n);

/* Returns malloc'd OUTDIR/REL with REL's extension replaced by EXT. */
char *kc_output_path(const char *outdir, const char *rel, const char *ext);

/* The extension of NAME without the dot, lower-cased into OUT (at most
 * OUTSZ-1 bytes; "" when NAME has none). */
void kc_extension(const char *name, char *out, size_t outsz);

#endif
