/* File-system helpers: folders, atomic writes, paths and file URLs. */
#ifndef KPICALC_FSUTIL_H
#define KPICALC_FSUTIL_H

#include "err.h"

#include <stddef.h>
#include <sys/types.h>

/* Creates PATH and its missing parents (like mkdir -p). 0, or -1 with
 * a message in ERR. */
int kc_mkdirs(const char *path, mode_t mode, struct kc_err *err);

/* Removes PATH and everything below it; a missing PATH is not an error.
 * Symbolic links are removed, never followed. 0 or -1. */
int kc_rmtree(const char *path);

/* Flushes a file (or a folder's entries) to disk. 0 or -1. */
int kc_fsync_path(const char *path);

/* Writes DATA to PATH atomically: a temporary file in the same folder,
 * flushed, then renamed over PATH. 0, or -1 with a message in ERR. */
int kc_write_atomic(const char *path, const void *data, size_t len,
                    struct kc_err *err);

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

/* Removes what runs killed with SIGKILL left in DIR: the folders named
 * PREFIX...REST... whose owner is gone. An owner holds an exclusive lock
 * (flock) on FOLDER/.lock while it lives (kc_make_locked_dir), so a live
 * folder of another run is never removed, whatever host, PID namespace or
 * container it runs in (on NFS, flock is carried by the server's locks).
 * A folder without a lock file is removed only when it is named
 * PREFIX<pid>REST (an older kpicalc's) and that process is gone here, or
 * when it is an hour old; a FOLDER.new whose maker died, after an hour.
 * Returns how many were removed. */
int kc_sweep_stale(const char *dir, const char *prefix, const char *rest);

/* A tag naming this run among all runs of all hosts sharing a folder:
 * "<hostname>-<16 random hex digits>". 0, or -1 when OUT is too small. */
int kc_run_tag(char *out, size_t outsz);

/* Creates the folder PATH (mode 700) holding the lock that marks it live
 * for kc_sweep_stale, atomically: made as PATH.new with its lock taken,
 * then renamed, so no sweep ever sees it unlocked. *LOCK_FD stays open
 * (and the lock held) until the caller closes it. 0, or -1 with ERR. */
int kc_make_locked_dir(const char *path, int *lock_fd, struct kc_err *err);

/* A worker's staging folder in DIR: DIR/.kpicalc-<TAG>-<PID>.tmp, where
 * its outputs stay until each is whole (malloc'd, or NULL); TAG is the
 * run's kc_run_tag, so that two runs on two hosts (or in two PID
 * namespaces) sharing an output folder never share a staging folder. */
#define KC_STAGE_PREFIX ".kpicalc-"
#define KC_STAGE_SUFFIX ".tmp"
char *kc_stage_dir(const char *dir, const char *tag, long pid);

/* Current time in seconds from a monotonic clock. */
double kc_now(void);

#endif
