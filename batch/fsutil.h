/* File-system helpers: folders, atomic writes, paths and file URLs. */
#ifndef KPICALC_FSUTIL_H
#define KPICALC_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Creates PATH and its missing parents (like mkdir -p). 0, or -1 with
 * a message in ERR. */
int kc_mkdirs(const char *path, mode_t mode, char *err, size_t errsz);

/* Removes PATH and everything below it; a missing PATH is not an error.
 * Symbolic links are removed, never followed. 0 or -1. */
int kc_rmtree(const char *path);

/* Flushes a file (or a folder's entries) to disk. 0 or -1. */
int kc_fsync_path(const char *path);

/* Writes DATA to PATH atomically: a temporary file in the same folder,
 * flushed, then renamed over PATH. 0, or -1 with a message in ERR. */
int kc_write_atomic(const char *path, const void *data, size_t len, char *err,
                    size_t errsz);

/* Reads a whole file (NUL-terminated). 0, or -1 with errno set. */
int kc_read_file(const char *path, char **data, size_t *len);

/* Returns a malloc'd "A/B" (B alone when A is empty or B is absolute). */
char *kc_path_join(const char *a, const char *b);

/* Returns the malloc'd folder part of PATH ("." when it has none). */
char *kc_dirname(const char *path);

/* Returns a pointer to the last component of PATH. */
const char *kc_basename(const char *path);

/* Returns a malloc'd absolute, lexically normalised form of PATH (the
 * file need not exist; symbolic links are not resolved). */
char *kc_abspath(const char *path);

/* Returns a malloc'd file:// URL for an absolute PATH, percent-encoding
 * every byte that is not unreserved or '/'. */
char *kc_file_url(const char *abspath);

/* 64-bit FNV-1a of a byte string, and of a file's contents (0 on
 * success, -1 with errno set). */
unsigned long long kc_fnv1a(const void *data, size_t len,
                            unsigned long long seed);
int kc_fnv1a_file(const char *path, unsigned long long *hash);

#define KC_FNV_SEED 0xcbf29ce484222325ULL

/* Removes the entries of DIR named PREFIX<pid>REST..., where REST starts
 * with REST and no process <pid> exists any more: what a run killed with
 * SIGKILL left behind. Returns how many were removed. */
int kc_sweep_stale(const char *dir, const char *prefix, const char *rest);

/* A worker's staging folder in DIR: DIR/.kpicalc-<PID>.tmp, where its
 * outputs stay until each is whole (malloc'd, or NULL). A run removes the
 * ones whose process is gone with kc_sweep_stale(DIR, KC_STAGE_PREFIX,
 * KC_STAGE_SUFFIX). */
#define KC_STAGE_PREFIX ".kpicalc-"
#define KC_STAGE_SUFFIX ".tmp"
char *kc_stage_dir(const char *dir, long pid);

/* Current time in seconds from a monotonic clock. */
double kc_now(void);

#endif
