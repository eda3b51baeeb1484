/* File-system helpers: folders, atomic writes, paths and file URLs. */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int kc_mkdirs(const char *path, mode_t mode, struct kc_err *err)
{
    if (!path || !*path) {
        kc_err_set(err, "empty folder name");
        return -1;
    }
    char *p = strdup(path);
    if (!p) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char saved = *s;
        *s = '\0';
        struct stat st;
        if (mkdir(p, mode) != 0 && errno != EEXIST) {
            kc_err_sys(err, "cannot create folder %s", p);
            free(p);
            return -1;
        }
        if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            kc_err_set(err, "cannot create folder %s: %s", p,
                       stat(p, &st) != 0 ? strerror(errno)
                                         : "a file of that name exists");
            free(p);
            return -1;
        }
        *s = saved;
        if (saved == '\0')
            break;
    }
    free(p);
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
    return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

int kc_rmtree(const char *path)
{
    if (!path || !*path)
        return -1;
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int kc_fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    /* Some file systems refuse fsync on folders: not an error here. */
    if (rc != 0 && (errno == EINVAL || errno == EBADF))
        rc = 0;
    close(fd);
    return rc;
}

int kc_write_atomic(const char *path, const void *data, size_t len,
                    struct kc_err *err)
{
    if (!path || (!data && len)) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    char *dir = kc_dirname(path);
    size_t n = strlen(path) + 96;
    char *tmp = malloc(n);
    if (!dir || !tmp) {
        free(dir);
        free(tmp);
        kc_err_set(err, "out of memory");
        return -1;
    }
    /* a new file of a name nobody can guess, never one found there (a
     * symbolic link planted in a shared folder is not followed) */
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; attempt++) {
        unsigned char r[8];
        unsigned long long x = 0;
        if (getrandom(r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
            memcpy(&x, r, sizeof x);
        else
            x = (unsigned long long)(kc_now() * 1e9) + (unsigned)attempt;
        snprintf(tmp, n, "%s/.%s.kpicalc-%ld-%016llx.tmp", dir,
                 kc_basename(path), (long)getpid(), x);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        kc_err_sys(err, "cannot write %s", path);
        free(dir);
        free(tmp);
        return -1;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            kc_err_sys(err, "cannot write %s", path);
            close(fd);
            unlink(tmp);
            free(dir);
            free(tmp);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        kc_err_sys(err, "cannot write %s", path);
        unlink(tmp);
        free(dir);
        free(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        kc_err_sys(err, "cannot write %s", path);
        unlink(tmp);
        free(dir);
        free(tmp);
        return -1;
    }
    kc_fsync_path(dir);
    free(dir);
    free(tmp);
    return 0;
}

int kc_read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    if (!p) {
        close(fd);
        errno = ENOMEM;
        return -1;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                close(fd);
                errno = ENOMEM;
                return -1;
            }
            p = q;
            cap *= 2;
        }
        ssize_t r = read(fd, p + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(p);
            close(fd);
            errno = e;
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    p[n] = '\0';
    *data = p;
    *len = n;
    return 0;
}

char *kc_path_join(const char *a, const char *b)
{
    if (!a || !b)
        return NULL;
    if (!*a || *b == '/')
        return strdup(b);
    size_t la = strlen(a);
    while (la > 1 && a[la - 1] == '/')
        la--;
    size_t n = la + 1 + strlen(b) + 1;
    char *r = malloc(n);
    if (!r)
        return NULL;
    snprintf(r, n, "%.*s/%s", (int)la, a, b);
    return r;
}

char *kc_dirname(const char *path)
{
    if (!path)
        return NULL;
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

const char *kc_basename(const char *path)
{
    if (!path)
        return "";
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *kc_abspath(const char *path)
{
    if (!path || !*path)
        return NULL;
    char *joined;
    if (path[0] == '/') {
        joined = strdup(path);
    } else {
        char *cwd = getcwd(NULL, 0);
        if (!cwd)
            return NULL;
        joined = kc_path_join(cwd, path);
        free(cwd);
    }
    if (!joined)
        return NULL;
    /* Normalise: drop empty and "." components, resolve "..". */
    size_t n = strlen(joined);
    char *out = malloc(n + 2);
    if (!out) {
        free(joined);
        return NULL;
    }
    size_t o = 0;
    char *save = NULL;
    for (char *c = strtok_r(joined, "/", &save); c;
         c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0)
            continue;
        if (strcmp(c, "..") == 0) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            continue;
        }
        out[o++] = '/';
        size_t cl = strlen(c);
        memcpy(out + o, c, cl);
        o += cl;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    free(joined);
    return out;
}

char *kc_file_url(const char *abspath)
{
    if (!abspath || abspath[0] != '/')
        return NULL;
    size_t n = strlen(abspath);
    char *u = malloc(7 + n * 3 + 1);
    if (!u)
        return NULL;
    memcpy(u, "file://", 7);
    size_t o = 7;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *s = (const unsigned char *)abspath; *s; s++) {
        unsigned char c = *s;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                   c == '~' || c == '/';
        if (keep) {
            u[o++] = (char)c;
        } else {
            u[o++] = '%';
            u[o++] = hex[c >> 4];
            u[o++] = hex[c & 15];
        }
    }
    u[o] = '\0';
    return u;
}

unsigned long long kc_fnv1a(const void *data, size_t len,
                            unsigned long long seed)
{
    const unsigned char *p = data;
    unsigned long long h = seed;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int kc_fnv1a_file(const char *path, unsigned long long *hash)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    unsigned long long h = KC_FNV_SEED;
    char block[65536];
    for (;;) {
        ssize_t r = read(fd, block, sizeof block);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (r == 0)
            break;
        h = kc_fnv1a(block, (size_t)r, h);
    }
    close(fd);
    *hash = h;
    return 0;
}

/* 1 unless process PID is gone or a zombie (an orphan that nobody has
 * reaped yet: some container inits are slow at it). */
static int process_alive(pid_t pid)
{
    if (kill(pid, 0) != 0)
        return errno != ESRCH;
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0)
        return 1;
    buf[r] = '\0';
    const char *paren = strrchr(buf, ')'); /* the name may hold spaces */
    return !(paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X'));
}

/* 1 when the folder PATH/.lock exists and nobody holds its lock (its
 * owner is gone), 0 when it is held, -1 when there is no lock file. The
 * lock is taken, so the caller removes the folder before anyone else can
 * claim it; *FD is the lock's descriptor to close afterwards. */
static int lock_free(const char *path, int *fd)
{
    char *lock = kc_path_join(path, ".lock");
    *fd = lock ? open(lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC) : -1;
    free(lock);
    if (*fd < 0)
        return -1;
    if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
        return 1;
    close(*fd);
    *fd = -1;
    return 0;
}

static int older_than(const char *path, double seconds)
{
    struct stat st;
    return lstat(path, &st) == 0 && difftime(time(NULL), st.st_mtime) > seconds;
}

int kc_sweep_stale(const char *dir, const char *prefix, const char *rest)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return 0;
    size_t pl = strlen(prefix), rl = strlen(rest);
    int removed = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        size_t nl = strlen(name);
        if (strncmp(name, prefix, pl) != 0 || nl < pl + rl)
            continue;
        char *path = kc_path_join(dir, name);
        if (!path)
            continue;
        int fd = -1, stale = 0;
        if (nl > 4 && strcmp(name + nl - 4, ".new") == 0) {
            /* a folder whose maker died while creating it */
            stale = older_than(path, 3600);
        } else if (strstr(name + pl, rest) != NULL) {
            int f = lock_free(path, &fd);
            if (f >= 0) {
                stale = f; /* its owner holds the lock while it lives */
            } else {
                /* no lock: a folder of an older kpicalc named by PID
                 * alone, or one an hour old */
                char *end;
                long pid = strtol(name + pl, &end, 10);
                if (end != name + pl && pid > 0 && strncmp(end, rest, rl) == 0)
                    stale = !process_alive((pid_t)pid);
                else
                    stale = older_than(path, 3600);
            }
        }
        if (stale && kc_rmtree(path) == 0)
            removed++;
        if (fd >= 0)
            close(fd);
        free(path);
    }
    closedir(d);
    return removed;
}

int kc_run_tag(char *out, size_t outsz)
{
    char host[64] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        snprintf(host, sizeof host, "host");
    host[40] = '\0';
    for (char *c = host; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '.' || *c == '-'))
            *c = '_';
    unsigned char r[8];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        /* no entropy source: time and PID still differ between runs */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_nsec ^
                               ((unsigned long long)ts.tv_sec << 20) ^
                               ((unsigned long long)getpid() << 40);
        memcpy(r, &x, sizeof r);
    }
    if (outsz < strlen(host) + 2 + 2 * sizeof r)
        return -1;
    int n = snprintf(out, outsz, "%s-", host);
    for (size_t i = 0; i < sizeof r; i++)
        n += snprintf(out + n, outsz - (size_t)n, "%02x", r[i]);
    return 0;
}

int kc_make_locked_dir(const char *path, int *lock_fd, struct kc_err *err)
{
    *lock_fd = -1;
    size_t n = strlen(path) + 8;
    char *fresh = malloc(n);
    char *lock = NULL;
    if (!fresh) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    snprintf(fresh, n, "%s.new", path);
    kc_rmtree(fresh);
    int fd = -1;
    if (mkdir(fresh, 0700) != 0 || !(lock = kc_path_join(fresh, ".lock")) ||
        (fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   0600)) < 0 ||
        flock(fd, LOCK_EX) != 0 || rename(fresh, path) != 0) {
        kc_err_sys(err, "cannot create %s", path);
        if (fd >= 0)
            close(fd);
        kc_rmtree(fresh);
        free(fresh);
        free(lock);
        return -1;
    }
    free(fresh);
    free(lock);
    *lock_fd = fd;
    return 0;
}

char *kc_stage_dir(const char *dir, const char *tag, long pid)
{
    size_t n = strlen(dir) + strlen(tag) + sizeof KC_STAGE_PREFIX +
               sizeof KC_STAGE_SUFFIX + 24;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/" KC_STAGE_PREFIX "%s-%ld" KC_STAGE_SUFFIX, dir, tag,
                 pid);
    return s;
}

double kc_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
