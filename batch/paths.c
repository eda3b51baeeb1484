/* Input discovery, stable sharding, and the mirrored output names. */
#include "paths.h"

#include "fsutil.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const sheet_exts[] = {"ods", "fods", "xlsx", "xls"};

void kc_extension(const char *name, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    const char *base = kc_basename(name);
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return;
    size_t i = 0;
    for (const char *s = dot + 1; *s && i + 1 < outsz; s++)
        out[i++] = (char)tolower((unsigned char)*s);
    out[i] = '\0';
}

int kc_is_spreadsheet_name(const char *name)
{
    char ext[16];
    kc_extension(name, ext, sizeof ext);
    for (size_t i = 0; i < sizeof sheet_exts / sizeof *sheet_exts; i++)
        if (strcmp(ext, sheet_exts[i]) == 0)
            return 1;
    return 0;
}

unsigned kc_shard_of(const char *rel, unsigned n)
{
    if (!rel || n == 0)
        return 0;
    return (unsigned)(kc_fnv1a(rel, strlen(rel), KC_FNV_SEED) % n);
}

char *kc_output_path(const char *outdir, const char *rel, const char *ext)
{
    if (!outdir || !rel || !ext)
        return NULL;
    const char *base = kc_basename(rel);
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - rel) : strlen(rel);
    size_t n = strlen(outdir) + 1 + stem + 1 + strlen(ext) + 1;
    char *r = malloc(n);
    if (!r)
        return NULL;
    snprintf(r, n, "%s/%.*s.%s", outdir, (int)stem, rel, ext);
    return r;
}

static int push(struct kc_inputs *in, const char *path, const char *rel,
                const char *error, dev_t dev, ino_t ino)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        struct kc_input *v = realloc(in->v, cap * sizeof *v);
        if (!v)
            return -1;
        in->v = v;
        in->cap = cap;
    }
    struct kc_input *e = &in->v[in->n];
    memset(e, 0, sizeof *e);
    e->path = strdup(path);
    e->rel = strdup(rel);
    e->error = error ? strdup(error) : NULL;
    e->dev = dev;
    e->ino = ino;
    if (!e->path || !e->rel || (error && !e->error)) {
        free(e->path);
        free(e->rel);
        free(e->error);
        return -1;
    }
    in->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walk {
    struct kc_inputs *out;
    int follow;   /* KC_DISCOVER_FOLLOW_LINKS */
    char **roots; /* the input folders, resolved */
    int nroots;
    int have_exclude;
    dev_t ex_dev;
    ino_t ex_ino;
    struct kc_err *err;
};

/* 1 when the resolved path REAL lies in one of the input folders. */
static int inside_roots(const struct walk *w, const char *real)
{
    for (int i = 0; i < w->nroots; i++) {
        size_t n = strlen(w->roots[i]);
        if (strncmp(real, w->roots[i], n) == 0 &&
            (real[n] == '/' || (n == 1 && w->roots[i][0] == '/')))
            return 1;
    }
    return 0;
}

/* A symbolic link with a workbook's name in an input folder: followed when
 * it leads to a file inside the input folders (or anywhere with
 * KC_DISCOVER_FOLLOW_LINKS); else kept as an input with its reason, as is
 * a dangling or looping link. A link to a folder is not followed. */
static int walk_link(struct walk *w, const char *path, const char *rel)
{
    char *real = realpath(path, NULL);
    struct stat st;
    char why[256];
    const char *error = NULL;
    if (!real) {
        if (errno == ENOENT)
            error = "a dangling symbolic link (what it points to does not "
                    "exist)";
        else if (errno == ELOOP)
            error = "a symbolic link loop";
        else {
            snprintf(why, sizeof why, "cannot follow the symbolic link: %s",
                     strerror(errno));
            error = why;
        }
    } else if (stat(real, &st) != 0) {
        snprintf(why, sizeof why, "cannot follow the symbolic link: %s",
                 strerror(errno));
        error = why;
    } else if (S_ISDIR(st.st_mode)) {
        free(real); /* links to folders are not followed */
        return 0;
    } else if (!S_ISREG(st.st_mode)) {
        error = "a symbolic link to something that is not a regular file";
    } else if (!w->follow && !inside_roots(w, real)) {
        error = "a symbolic link leading outside the input folders (not "
                "followed; --follow-symlinks follows it)";
    }
    int rc = error ? push(w->out, path, rel, error, 0, 0)
                   : push(w->out, path, rel, NULL, st.st_dev, st.st_ino);
    free(real);
    if (rc != 0)
        kc_err_set(w->err, "out of memory");
    return rc;
}

static int walk_dir(struct walk *w, const char *dir, const char *rel, int depth)
{
    if (depth > 64) {
        kc_err_set(w->err, "folders nested too deeply under %s", dir);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        kc_err_sys(w->err, "cannot read folder %s", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* hidden files, lock files, our temporaries */
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **v = realloc(names, cap * sizeof *v);
            if (!v) {
                rc = -1;
                break;
            }
            names = v;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc != 0) {
        kc_err_set(w->err, "out of memory");
        goto done;
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *path = kc_path_join(dir, names[i]);
        char *sub = *rel ? kc_path_join(rel, names[i]) : strdup(names[i]);
        struct stat lst, st;
        if (!path || !sub) {
            kc_err_set(w->err, "out of memory");
            rc = -1;
        } else if (lstat(path, &lst) != 0) {
            /* vanished while we looked: ignore */
        } else if (S_ISLNK(lst.st_mode) && kc_is_spreadsheet_name(names[i])) {
            rc = walk_link(w, path, sub);
        } else if (S_ISDIR(lst.st_mode)) {
            if (!(w->have_exclude && lst.st_dev == w->ex_dev &&
                  lst.st_ino == w->ex_ino))
                rc = walk_dir(w, path, sub, depth + 1);
        } else if (kc_is_spreadsheet_name(names[i]) && S_ISREG(lst.st_mode) &&
                   stat(path, &st) == 0) {
            if (push(w->out, path, sub, NULL, st.st_dev, st.st_ino) != 0) {
                kc_err_set(w->err, "out of memory");
                rc = -1;
            }
        }
        free(path);
        free(sub);
    }
done:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Marks the later copy of a file reached twice (same device and inode). */
static void drop_duplicates(struct kc_inputs *in)
{
    size_t kept = 0;
    for (size_t i = 0; i < in->n; i++) {
        struct kc_input *e = &in->v[i];
        int dup = 0;
        if (!e->error) {
            for (size_t j = 0; j < kept && !dup; j++) {
                const struct kc_input *k = &in->v[j];
                dup = !k->error && k->dev == e->dev && k->ino == e->ino;
            }
        }
        if (dup) {
            free(e->path);
            free(e->rel);
            free(e->error);
        } else {
            in->v[kept++] = *e;
        }
    }
    in->n = kept;
}

int kc_discover(char *const *args, int nargs, const char *exclude,
                struct kc_inputs *out, struct kc_err *err)
{
    return kc_discover_ex(args, nargs, exclude, 0, out, err);
}

static void free_roots(char **roots, int n)
{
    for (int i = 0; i < n; i++)
        free(roots[i]);
    free(roots);
}

int kc_discover_ex(char *const *args, int nargs, const char *exclude, int flags,
                   struct kc_inputs *out, struct kc_err *err)
{
    if (!args || nargs < 0 || !out) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    struct walk w = {.out = out,
                     .follow = (flags & KC_DISCOVER_FOLLOW_LINKS) != 0,
                     .err = err};
    w.roots = calloc((size_t)nargs + 1, sizeof *w.roots);
    if (!w.roots) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    for (int i = 0; i < nargs; i++) {
        struct stat rs;
        if (args[i] && *args[i] && stat(args[i], &rs) == 0 &&
            S_ISDIR(rs.st_mode) &&
            (w.roots[w.nroots] = realpath(args[i], NULL)))
            w.nroots++;
    }
    struct stat xs;
    if (exclude && stat(exclude, &xs) == 0 && S_ISDIR(xs.st_mode)) {
        w.have_exclude = 1;
        w.ex_dev = xs.st_dev;
        w.ex_ino = xs.st_ino;
    }
    for (int i = 0; i < nargs; i++) {
        const char *a = args[i];
        struct stat st;
        int rc = 0;
        if (!a || !*a) {
            rc = push(out, "", "", "empty path", 0, 0);
        } else if (stat(a, &st) != 0) {
            char msg[256];
            snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
            rc = push(out, a, kc_basename(a), msg, 0, 0);
        } else if (S_ISDIR(st.st_mode)) {
            if (walk_dir(&w, a, "", 0) != 0) {
                free_roots(w.roots, w.nroots);
                return -1;
            }
        } else if (S_ISREG(st.st_mode)) {
            rc = push(out, a, kc_basename(a), NULL, st.st_dev, st.st_ino);
        } else {
            rc = push(out, a, kc_basename(a), "not a regular file or folder", 0,
                      0);
        }
        if (rc != 0) {
            kc_err_set(err, "out of memory");
            free_roots(w.roots, w.nroots);
            return -1;
        }
    }
    free_roots(w.roots, w.nroots);
    drop_duplicates(out);
    return 0;
}

void kc_inputs_free(struct kc_inputs *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->n; i++) {
        free(in->v[i].path);
        free(in->v[i].rel);
        free(in->v[i].error);
    }
    free(in->v);
    in->v = NULL;
    in->n = in->cap = 0;
}
