/* The private LibreOffice profiles that kpicalc creates and keeps: one per
 * worker, under ${XDG_CACHE_HOME:-$HOME/.cache}/kpicalc/<version>-<hash of
 * the extension>/worker-<k> (--profile-dir DIR replaces
 * ${XDG_CACHE_HOME:-$HOME/.cache}/kpicalc), each with the add-in
 * extension installed (by the office itself, through its deployment API:
 * no unopkg, no other user, so it works as root without user namespaces
 * and in any folder) and these settings: formulas always recalculated on
 * load (ODF and OOXML), macros never run, links never updated, no document
 * locking, no recovery data. A profile is built in a temporary folder and
 * renamed into place, and is locked (flock) while a run uses it, so that
 * concurrent runs never share one. */
#ifndef KPICALC_PROFILE_H
#define KPICALC_PROFILE_H

#include "err.h"

#include <stddef.h>

struct kc_profile_cfg {
    const char *lo_program; /* LibreOffice's program folder */
    const char *oxt;        /* the extension to install, or NULL */
    const char *base;       /* --profile-dir: used instead of the cache
                               folder's kpicalc/ (NULL: the default) */
    int verbose;            /* report each build step on stderr */
};

struct kc_profile {
    char *dir; /* the profile folder */
    char *url; /* its file:// URL, for lok_init_2 */
    int lock_fd;
};

/* Computes the folder that holds the worker profiles for CFG. 0, or -1
 * with a message in ERR. */
int kc_profile_base_dir(const struct kc_profile_cfg *cfg, char **base,
                        struct kc_err *err);

/* Locks the first free worker profile under BASE, building it when it does
 * not exist yet, and (re)writes its settings. 0, or -1 with a message. */
int kc_profile_acquire(const struct kc_profile_cfg *cfg, const char *base,
                       struct kc_profile *p, struct kc_err *err);

/* 0 when DIR is a folder (not a symbolic link) of this user that no other
 * user may write to, in a parent that is not writable by everyone unless
 * it is sticky (/tmp); -1 with the reason in ERR. Every folder of a
 * profile's path that kpicalc makes or uses (the --profile-dir folder or
 * the cache's kpicalc/, its <version>-<hash>/ and each worker-<k>/) must
 * pass: LibreOffice and the extension run from there. */
int kc_profile_check_dir(const char *dir, struct kc_err *err);

/* Unlocks and forgets P. */
void kc_profile_release(struct kc_profile *p);

/* Writes kpicalc's settings into the registrymodifications.xcu of the
 * profile folder DIR, replacing earlier values of the same settings (with
 * the version of the office in the program folder LO_PROGRAM, when it can
 * be read). 0, or -1 with a message. */
int kc_profile_apply_settings(const char *dir, const char *lo_program,
                              struct kc_err *err);

#endif
