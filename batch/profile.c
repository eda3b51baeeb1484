/* The private LibreOffice profiles that kpicalc creates and keeps. */
#include "profile.h"

#include "buf.h"
#include "fsutil.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARKER ".kpicalc-complete"
#define BUILD_TIMEOUT 180.0
#define MAX_SLOTS 1024
#define NOBODY 65534

/* The settings, one registry item per line. */
struct setting {
    const char *path, *prop, *value;
};
static const struct setting settings[] = {
    /* a full recalculation of every formula on load */
    {"/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "0"},
    {"/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "0"},
    /* a workbook is data, not code: no macro ever runs */
    {"/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel",
     "3"},
    {"/org.openoffice.Office.Common/Security/Scripting",
     "DisableMacrosExecution", "true"},
    /* external links are never updated (0 always, 1 never, 2 on request) */
    {"/org.openoffice.Office.Calc/Content/Update", "Link", "1"},
    {"/org.openoffice.Office.Common/Security/Scripting",
     "BlockUntrustedRefererLinks", "true"},
    /* inputs are only read: no lock files beside them */
    {"/org.openoffice.Office.Common/Misc", "UseLocking", "false"},
    {"/org.openoffice.Office.Common/Misc", "FirstRun", "false"},
    {"/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"},
    {"/org.openoffice.Office.Recovery/AutoSave", "Enabled", "false"},
    /* a thumbnail costs a rendering of the first sheet at every save */
    {"/org.openoffice.Office.Common/Save/Document", "GenerateThumbnail",
     "false"},
    /* the same number formats whatever the user's locale */
    {"/org.openoffice.Setup/L10N", "ooSetupSystemLocale", "en-US"},
    {"/org.openoffice.Setup/L10N", "ooLocale", "en-US"},
};

/* The office's version as its configuration gives it ("7.4"), read once
 * from share/registry/main.xcd beside the program folder LO_PROGRAM (a
 * run has one); NULL when it cannot be read. */
static const char *office_version(const char *lo_program)
{
    static char version[16];
    static int state; /* 0 not read yet, 1 read, -1 unreadable */
    if (state != 0)
        return state > 0 ? version : NULL;
    state = -1;
    char *xcd = NULL;
    char *path = kc_path_join(lo_program, "../share/registry/main.xcd");
    size_t len = 0;
    if (path && kc_read_file(path, &xcd, &len) == 0) {
        char *p = strstr(xcd, "<prop oor:name=\"ooSetupVersion\">");
        char *v = p ? strstr(p, "<value>") : NULL;
        char *e = v ? strstr(v, "</value>") : NULL;
        size_t n = e ? (size_t)(e - (v + 7)) : 0;
        if (e && n > 0 && n < sizeof version) {
            memcpy(version, v + 7, n);
            version[n] = '\0';
            state = 1;
        }
    }
    free(xcd);
    free(path);
    return state > 0 ? version : NULL;
}

int kc_profile_apply_settings(const char *dir, const char *lo_program,
                              char *err, size_t errsz)
{
    /* LibreOffice 7.4 runs its graphics self-test (about 0.7 s) at every
     * start until the profile records the version it last ran: a worker
     * never saves its settings, so kpicalc records it here. */
    struct setting all[sizeof settings / sizeof *settings + 1];
    size_t nall = sizeof settings / sizeof *settings;
    memcpy(all, settings, sizeof settings);
    const char *version = lo_program ? office_version(lo_program) : NULL;
    if (version)
        all[nall++] = (struct setting){"/org.openoffice.Setup/Product",
                                       "ooSetupLastVersion", version};
    char *path = kc_path_join(dir, "user/registrymodifications.xcu");
    if (!path) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    char *old = NULL;
    size_t len = 0;
    if (kc_read_file(path, &old, &len) != 0) {
        snprintf(err, errsz, "cannot read %s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    char *close_tag = strstr(old, "</oor:items>");
    if (!close_tag) {
        snprintf(err, errsz, "%s is not a LibreOffice settings file", path);
        free(old);
        free(path);
        return -1;
    }
    *close_tag = '\0';
    struct kc_buf out = {0};
    /* keep every line that does not set one of our settings */
    char *save = NULL;
    for (char *line = strtok_r(old, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        int ours = 0;
        for (size_t i = 0; i < nall; i++) {
            char a[200], b[100];
            snprintf(a, sizeof a, "oor:path=\"%s\"", all[i].path);
            snprintf(b, sizeof b, "oor:name=\"%s\"", all[i].prop);
            if (strstr(line, a) && strstr(line, b))
                ours = 1;
        }
        if (!ours)
            kc_buf_addf(&out, "%s\n", line);
    }
    for (size_t i = 0; i < nall; i++)
        kc_buf_addf(&out,
                    "<item oor:path=\"%s\"><prop oor:name=\"%s\" "
                    "oor:op=\"fuse\"><value>%s</value></prop></item>\n",
                    all[i].path, all[i].prop, all[i].value);
    int rc = kc_buf_adds(&out, "</oor:items>\n");
    if (rc == 0)
        rc = kc_write_atomic(path, kc_buf_str(&out), out.len, err, errsz);
    else
        snprintf(err, errsz, "out of memory");
    kc_buf_free(&out);
    free(old);
    free(path);
    return rc;
}

int kc_profile_base_dir(const struct kc_profile_cfg *cfg, char **base,
                        char *err, size_t errsz)
{
    *base = NULL;
    char tag[64];
    if (cfg->oxt) {
        unsigned long long h;
        if (kc_fnv1a_file(cfg->oxt, &h) != 0) {
            snprintf(err, errsz, "cannot read the extension %s: %s", cfg->oxt,
                     strerror(errno));
            return -1;
        }
        snprintf(tag, sizeof tag, "%s-%016llx", KPICALC_VERSION, h);
    } else {
        snprintf(tag, sizeof tag, "%s-noext", KPICALC_VERSION);
    }
    struct kc_buf b = {0};
    if (cfg->base) {
        char *root = kc_abspath(cfg->base);
        if (!root) {
            snprintf(err, errsz, "bad profile folder %s", cfg->base);
            return -1;
        }
        kc_buf_addf(&b, "%s/%s", root, tag);
        free(root);
    } else {
        const char *xdg = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");
        if (xdg && xdg[0] == '/') {
            kc_buf_addf(&b, "%s/kpicalc/%s", xdg, tag);
        } else {
            if (!home || home[0] != '/') {
                struct passwd *pw = getpwuid(getuid());
                home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir
                                                                : NULL;
            }
            if (home)
                kc_buf_addf(&b, "%s/.cache/kpicalc/%s", home, tag);
            else
                kc_buf_addf(&b, "/tmp/kpicalc-%ld/%s", (long)getuid(), tag);
        }
    }
    if (!b.p) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    *base = kc_buf_take(&b);
    return 0;
}

enum run_as { AS_SELF, AS_USERNS, AS_NOBODY };

static int write_proc(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Exit codes of the child when it could not switch users. */
#define EXIT_NO_USERNS 120
#define EXIT_NO_SETUID 121

/* Runs ARGV with HOME set to HOME_DIR, output appended to LOG; waits at
 * most BUILD_TIMEOUT seconds. Returns the exit status (or 128+signal),
 * -1 when it could not start. */
static int run(char *const argv[], const char *home_dir, const char *log,
               enum run_as as)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (null >= 0)
            dup2(null, 0);
        if (out >= 0) {
            dup2(out, 1);
            dup2(out, 2);
        }
        setenv("HOME", home_dir, 1);
        if (as == AS_USERNS) {
            /* unopkg refuses to run as root: run it as an ordinary user
             * in a user namespace that maps that user to us, so the files
             * it writes stay ours and every folder stays reachable. */
            if (unshare(CLONE_NEWUSER) != 0)
                _exit(EXIT_NO_USERNS);
            if (write_proc("/proc/self/setgroups", "deny") != 0 ||
                write_proc("/proc/self/uid_map", "65534 0 1") != 0 ||
                write_proc("/proc/self/gid_map", "65534 0 1") != 0)
                _exit(EXIT_NO_USERNS);
        } else if (as == AS_NOBODY) {
            if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
                setuid(NOBODY) != 0)
                _exit(EXIT_NO_SETUID);
        }
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    double deadline = kc_now() + BUILD_TIMEOUT;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
        if (r < 0 && errno != EINTR)
            return -1;
        if (kc_now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return 128 + SIGKILL;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static uid_t chown_uid;
static gid_t chown_gid;

static int chown_one(const char *path, const struct stat *st, int flag,
                     struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return lchown(path, chown_uid, chown_gid) == 0 ? 0 : -1;
}

static int chown_tree(const char *dir, uid_t uid, gid_t gid)
{
    chown_uid = uid;
    chown_gid = gid;
    return nftw(dir, chown_one, 16, FTW_PHYS);
}

/* Installs OXT into the profile DIR with unopkg. */
static int install_extension(const struct kc_profile_cfg *cfg, const char *dir,
                             const char *log, char *err, size_t errsz)
{
    char *unopkg = kc_path_join(cfg->lo_program, "unopkg");
    char *url = kc_file_url(dir);
    char *oxt = kc_abspath(cfg->oxt);
    char *home = kc_path_join(dir, "home");
    struct kc_buf env = {0};
    int rc = -1;
    if (!unopkg || !url || !oxt || !home ||
        kc_buf_addf(&env, "-env:UserInstallation=%s", url) != 0) {
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    if (mkdir(home, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errsz, "cannot create %s: %s", home, strerror(errno));
        goto out;
    }
    char *argv[] = {unopkg, "add", "--suppress-license", env.p, oxt, NULL};
    int status;
    if (geteuid() != 0) {
        status = run(argv, home, log, AS_SELF);
    } else {
        status = run(argv, home, log, AS_USERNS);
        if (status == EXIT_NO_USERNS) {
            /* No user namespaces here: run it as nobody, which needs
             * the profile to be nobody's while it runs. */
            if (chown_tree(dir, NOBODY, NOBODY) != 0) {
                snprintf(err, errsz, "cannot hand %s to nobody: %s", dir,
                         strerror(errno));
                goto out;
            }
            status = run(argv, home, log, AS_NOBODY);
            if (chown_tree(dir, 0, 0) != 0 && status == 0) {
                snprintf(err, errsz, "cannot take %s back from nobody: %s", dir,
                         strerror(errno));
                goto out;
            }
        }
    }
    if (status != 0) {
        snprintf(err, errsz,
                 "unopkg could not install %s (status %d; see %s)%s", oxt,
                 status, log,
                 geteuid() == 0 ? "; as root, kpicalc runs unopkg as an "
                                  "ordinary user: the profile folder must "
                                  "be reachable (or use --profile-dir)"
                                : "");
        goto out;
    }
    /* unopkg must have unpacked the extension into the profile */
    char *pkgs = kc_path_join(dir, "user/uno_packages/cache/uno_packages");
    DIR *d = pkgs ? opendir(pkgs) : NULL;
    int found = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        found |= de->d_name[0] != '.';
    if (d)
        closedir(d);
    free(pkgs);
    if (!found) {
        snprintf(err, errsz,
                 "unopkg reported success but %s is not in the "
                 "profile (see %s)",
                 oxt, log);
        goto out;
    }
    rc = 0;
out:
    free(unopkg);
    free(url);
    free(oxt);
    free(home);
    kc_buf_free(&env);
    return rc;
}

/* Builds a complete profile in a temporary folder and renames it to
 * FINAL. */
static int build(const struct kc_profile_cfg *cfg, const char *base,
                 const char *final, char *err, size_t errsz)
{
    char *tmpl = kc_path_join(base, ".build-XXXXXX");
    char *soffice = kc_path_join(cfg->lo_program, "soffice");
    char *tmp = NULL, *url = NULL, *log = NULL, *buildid = NULL;
    char *marker = NULL, *lock = NULL;
    struct kc_buf env = {0};
    int rc = -1;
    if (!tmpl || !soffice) {
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    if (!(tmp = mkdtemp(tmpl))) {
        snprintf(err, errsz, "cannot create a folder in %s: %s", base,
                 strerror(errno));
        free(tmpl);
        goto out;
    }
    url = kc_file_url(tmp);
    log = kc_path_join(base, "build.log");
    buildid = kc_path_join(tmp, "user/extensions/buildid");
    marker = kc_path_join(tmp, MARKER);
    lock = kc_path_join(tmp, ".lock");
    if (!url || !log || !buildid || !marker || !lock ||
        kc_buf_addf(&env, "-env:UserInstallation=%s", url) != 0) {
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    if (cfg->verbose)
        fprintf(stderr, "kpicalc: creating the profile %s\n", final);
    /* A first start of the office makes a complete profile (unopkg alone
     * leaves out user/extensions/buildid, and the next start would then
     * drop the extension's registration). */
    char *argv[] = {soffice,       "--headless", "--terminate_after_init",
                    "--norestore", "--nologo",   env.p,
                    NULL};
    int status = run(argv, tmp, log, AS_SELF);
    if (status != 0 || access(buildid, F_OK) != 0) {
        snprintf(err, errsz,
                 "LibreOffice could not create a profile (status %d; see "
                 "%s)",
                 status, log);
        goto out;
    }
    if (cfg->oxt && install_extension(cfg, tmp, log, err, errsz) != 0)
        goto out;
    if (kc_profile_apply_settings(tmp, cfg->lo_program, err, errsz) != 0)
        goto out;
    unlink(lock);
    char text[512];
    snprintf(text, sizeof text, "kpicalc %s\nextension %s\n", KPICALC_VERSION,
             cfg->oxt ? cfg->oxt : "(none)");
    if (kc_write_atomic(marker, text, strlen(text), err, errsz) != 0)
        goto out;
    /* A half-built profile from an interrupted run may be in the way. */
    if (kc_rmtree(final) != 0 || rename(tmp, final) != 0) {
        snprintf(err, errsz, "cannot move the new profile to %s: %s", final,
                 strerror(errno));
        goto out;
    }
    kc_fsync_path(base);
    rc = 0;
out:
    if (rc != 0 && tmp)
        kc_rmtree(tmp);
    free(tmp);
    free(soffice);
    free(url);
    free(log);
    free(buildid);
    free(marker);
    free(lock);
    kc_buf_free(&env);
    return rc;
}

int kc_profile_acquire(const struct kc_profile_cfg *cfg, const char *base,
                       struct kc_profile *p, char *err, size_t errsz)
{
    memset(p, 0, sizeof *p);
    p->lock_fd = -1;
    if (!cfg || !cfg->lo_program || !base) {
        snprintf(err, errsz, "invalid arguments");
        return -1;
    }
    if (kc_mkdirs(base, 0755, err, errsz) != 0)
        return -1;
    for (int k = 0; k < MAX_SLOTS; k++) {
        char name[64];
        snprintf(name, sizeof name, "worker-%d.lock", k);
        char *lockpath = kc_path_join(base, name);
        if (!lockpath) {
            snprintf(err, errsz, "out of memory");
            return -1;
        }
        int fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            snprintf(err, errsz, "cannot open %s: %s", lockpath,
                     strerror(errno));
            free(lockpath);
            return -1;
        }
        free(lockpath);
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            close(fd);
            if (errno == EWOULDBLOCK)
                continue; /* another worker or run has it */
            snprintf(err, errsz, "cannot lock a profile in %s: %s", base,
                     strerror(errno));
            return -1;
        }
        snprintf(name, sizeof name, "worker-%d", k);
        char *dir = kc_path_join(base, name);
        char *marker = dir ? kc_path_join(dir, MARKER) : NULL;
        if (!dir || !marker) {
            snprintf(err, errsz, "out of memory");
            free(dir);
            close(fd);
            return -1;
        }
        int ok = access(marker, F_OK) == 0;
        free(marker);
        if (!ok && build(cfg, base, dir, err, errsz) != 0) {
            free(dir);
            close(fd);
            return -1;
        }
        if (ok &&
            kc_profile_apply_settings(dir, cfg->lo_program, err, errsz) != 0) {
            free(dir);
            close(fd);
            return -1;
        }
        p->dir = dir;
        p->url = kc_file_url(dir);
        p->lock_fd = fd;
        if (!p->url) {
            kc_profile_release(p);
            snprintf(err, errsz, "out of memory");
            return -1;
        }
        return 0;
    }
    snprintf(err, errsz, "all %d profiles in %s are in use", MAX_SLOTS, base);
    return -1;
}

void kc_profile_release(struct kc_profile *p)
{
    if (!p)
        return;
    if (p->lock_fd >= 0)
        close(p->lock_fd);
    free(p->dir);
    free(p->url);
    memset(p, 0, sizeof *p);
    p->lock_fd = -1;
}
