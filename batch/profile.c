/* The private LibreOffice profiles that kpicalc creates and keeps. */
#include "profile.h"

#include "buf.h"
#include "child.h"
#include "fsutil.h"
#include "msg.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
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

/* Writes the settings into the profile DIR; ONLY_VERSION: the office's
 * version alone (for the start that installs the extension, whose macro
 * the other settings would block). */
static int write_settings(const char *dir, const char *lo_program,
                          int only_version, struct kc_err *err)
{
    /* LibreOffice 7.4 runs its graphics self-test (about 0.7 s) at every
     * start until the profile records the version it last ran: a worker
     * never saves its settings, so kpicalc records it here. */
    struct setting all[sizeof settings / sizeof *settings + 1];
    size_t nall = only_version ? 0 : sizeof settings / sizeof *settings;
    memcpy(all, settings, nall * sizeof *settings);
    const char *version = lo_program ? office_version(lo_program) : NULL;
    if (version)
        all[nall++] = (struct setting){"/org.openoffice.Setup/Product",
                                       "ooSetupLastVersion", version};
    char *path = kc_path_join(dir, "user/registrymodifications.xcu");
    if (!path) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    char *old = NULL;
    size_t len = 0;
    if (kc_read_file(path, &old, &len) != 0) {
        kc_err_sys(err, "cannot read %s", path);
        free(path);
        return -1;
    }
    char *close_tag = strstr(old, "</oor:items>");
    if (!close_tag) {
        kc_err_set(err, "%s is not a LibreOffice settings file", path);
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
        rc = kc_write_atomic(path, kc_buf_str(&out), out.len, err);
    else
        kc_err_set(err, "out of memory");
    kc_buf_free(&out);
    free(old);
    free(path);
    return rc;
}

int kc_profile_apply_settings(const char *dir, const char *lo_program,
                              struct kc_err *err)
{
    return write_settings(dir, lo_program, 0, err);
}

int kc_profile_base_dir(const struct kc_profile_cfg *cfg, char **base,
                        struct kc_err *err)
{
    *base = NULL;
    char tag[64];
    if (cfg->oxt) {
        unsigned long long h;
        if (kc_fnv1a_file(cfg->oxt, &h) != 0) {
            kc_err_sys(err, "cannot read the extension %s", cfg->oxt);
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
            kc_err_set(err, "bad profile folder %s", cfg->base);
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
        kc_err_set(err, "out of memory");
        return -1;
    }
    *base = kc_buf_take(&b);
    return 0;
}

/* Runs ARGV with HOME set to HOME_DIR, output appended to LOG; waits at
 * most BUILD_TIMEOUT seconds. The office runs as a child of child.c (its
 * own process group, killed whole at the deadline, dying with kpicalc).
 * Returns the exit status (or 128+signal), -1 when it could not start. */
static int run(char *const argv[], const char *home_dir, const char *log)
{
    pid_t pid = kc_child_spawn();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
        if (null >= 0)
            dup2(null, 0);
        if (out >= 0) {
            dup2(out, 1);
            dup2(out, 2);
        }
        setenv("HOME", home_dir, 1);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    switch (kc_child_wait(pid, BUILD_TIMEOUT, NULL, &status)) {
    case KC_CHILD_EXITED:
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    case KC_CHILD_TIMEOUT:
    case KC_CHILD_STOPPED:
        return 128 + SIGKILL;
    default:
        kc_child_kill(pid);
        return -1;
    }
}

/* The extension is installed by the office itself, through its deployment
 * API (the ExtensionManager singleton's addExtension into the "user"
 * repository of the profile), called from a Basic macro that the profile's
 * own Standard library holds for that one start. unopkg is not used: it
 * refuses root for a per-user installation, and running it as another
 * user needs user namespaces or a folder that user can enter. The office
 * has no such check, so this works as root or not, with or without user
 * namespaces, in any folder, and changes nothing outside the profile. The
 * macro approves the office's questions (the installation, the licence),
 * as unopkg --suppress-license does, and writes "ok" or the error into the
 * file STATUS (a URL). */
static const char install_module[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE script:module PUBLIC \"-//OpenOffice.org//DTD OfficeDocument "
    "1.0//EN\" \"module.dtd\">\n"
    "<script:module xmlns:script=\"http://openoffice.org/2000/script\" "
    "script:name=\"Module1\" script:language=\"StarBasic\">\n"
    "Sub KpiInstall(oxt As String, status As String)\n"
    "  Dim f As Integer, msg As String\n"
    "  On Error Goto Failed\n"
    "  env = CreateUnoListener(&quot;KpiEnv_&quot;, "
    "&quot;com.sun.star.ucb.XCommandEnvironment&quot;)\n"
    "  em = GetDefaultContext().getValueByName("
    "&quot;/singletons/com.sun.star.deployment.ExtensionManager&quot;)\n"
    "  em.addExtension(oxt, Array(), &quot;user&quot;, Nothing, env)\n"
    "  msg = &quot;ok&quot;\n"
    "  Goto Report\n"
    "Failed:\n"
    "  msg = &quot;error &quot; &amp; Err &amp; &quot;: &quot; &amp; Error$\n"
    "Report:\n"
    "  f = FreeFile\n"
    "  Open ConvertFromURL(status) For Output As #f\n"
    "  Print #f, msg\n"
    "  Close #f\n"
    "End Sub\n"
    "Function KpiEnv_getInteractionHandler()\n"
    "  KpiEnv_getInteractionHandler = CreateUnoListener(&quot;KpiAsk_&quot;, "
    "&quot;com.sun.star.task.XInteractionHandler&quot;)\n"
    "End Function\n"
    "Function KpiEnv_getProgressHandler()\n"
    "  KpiEnv_getProgressHandler = Nothing\n"
    "End Function\n"
    "Sub KpiAsk_handle(request)\n"
    "  For Each c In request.getContinuations()\n"
    "    If HasUnoInterfaces(c, "
    "&quot;com.sun.star.task.XInteractionApprove&quot;) Then\n"
    "      c.select()\n"
    "      Exit Sub\n"
    "    End If\n"
    "  Next\n"
    "End Sub\n"
    "</script:module>\n";

/* Installs OXT into the profile DIR (started once before) through the
 * office's deployment API; the profile's Basic module is restored after. */
static int install_extension(const struct kc_profile_cfg *cfg, const char *dir,
                             const char *log, struct kc_err *err)
{
    char *soffice = kc_path_join(cfg->lo_program, "soffice");
    char *url = kc_file_url(dir);
    char *oxt = kc_abspath(cfg->oxt);
    char *oxt_url = oxt ? kc_file_url(oxt) : NULL;
    char *module = kc_path_join(dir, "user/basic/Standard/Module1.xba");
    char *status = kc_path_join(dir, "kpicalc-install.status");
    char *status_url = status ? kc_file_url(status) : NULL;
    char *saved = NULL, *said = NULL;
    size_t saved_len = 0, said_len = 0;
    struct kc_buf env = {0}, macro = {0};
    int rc = -1;
    if (!soffice || !url || !oxt_url || !module || !status_url ||
        kc_buf_addf(&env, "-env:UserInstallation=%s", url) != 0 ||
        kc_buf_addf(&macro,
                    "macro:///Standard.Module1.KpiInstall(\"%s\",\"%s\")",
                    oxt_url, status_url) != 0) {
        kc_err_set(err, "out of memory");
        goto out;
    }
    if (kc_read_file(module, &saved, &saved_len) != 0) {
        kc_err_sys(err, "cannot read %s", module);
        goto out;
    }
    if (kc_write_atomic(module, install_module, strlen(install_module), err) !=
        0)
        goto out;
    char *argv[] = {soffice,       "--headless", "--norestore", "--nologo",
                    "--nodefault", env.p,        macro.p,       NULL};
    int code = run(argv, dir, log);
    if (kc_write_atomic(module, saved, saved_len, err) != 0)
        goto out;
    if (kc_read_file(status, &said, &said_len) != 0) {
        kc_err_set(err,
                   "LibreOffice could not install %s (status %d, no answer "
                   "from its deployment API; see %s)",
                   oxt, code, log);
        goto out;
    }
    /* Basic's message spans lines: one line for the log */
    for (char *c = said; *c; c++)
        if (*c == '\r' || *c == '\n')
            *c = ' ';
    for (size_t n = strlen(said); n > 0 && said[n - 1] == ' '; n--)
        said[n - 1] = '\0';
    if (strcmp(said, "ok") != 0) {
        kc_err_set(err, "LibreOffice could not install %s: %.300s", oxt, said);
        goto out;
    }
    /* the office must have unpacked the extension into the profile */
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
        kc_err_set(err,
                   "LibreOffice reported success but %s is not in the "
                   "profile (see %s)",
                   oxt, log);
        goto out;
    }
    rc = 0;
out:
    if (status)
        unlink(status);
    free(soffice);
    free(url);
    free(oxt);
    free(oxt_url);
    free(module);
    free(status);
    free(status_url);
    free(saved);
    free(said);
    kc_buf_free(&env);
    kc_buf_free(&macro);
    return rc;
}

/* Builds a complete profile in a temporary folder and renames it to
 * FINAL. */
static int build(const struct kc_profile_cfg *cfg, const char *base,
                 const char *final, struct kc_err *err)
{
    char *tmpl = kc_path_join(base, ".build-XXXXXX");
    char *soffice = kc_path_join(cfg->lo_program, "soffice");
    char *tmp = NULL, *url = NULL, *log = NULL, *buildid = NULL;
    char *marker = NULL, *lock = NULL;
    struct kc_buf env = {0};
    int rc = -1;
    if (!tmpl || !soffice) {
        kc_err_set(err, "out of memory");
        goto out;
    }
    if (!(tmp = mkdtemp(tmpl))) {
        kc_err_sys(err, "cannot create a folder in %s", base);
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
        kc_err_set(err, "out of memory");
        goto out;
    }
    if (cfg->verbose)
        fprintf(stderr, kc_tr("kpicalc: creating the profile %s\n"), final);
    /* A first start of the office makes a complete profile (with
     * user/extensions/buildid: without it the next start would drop the
     * extension's registration) and the Basic library the installing
     * macro goes into. */
    char *argv[] = {soffice,       "--headless", "--terminate_after_init",
                    "--norestore", "--nologo",   env.p,
                    NULL};
    int status = run(argv, tmp, log);
    if (status != 0 || access(buildid, F_OK) != 0) {
        kc_err_set(err,
                   "LibreOffice could not create a profile (status %d; see "
                   "%s)",
                   status, log);
        goto out;
    }
    /* the version first, so that the installing start runs no graphics
     * self-test either */
    if (write_settings(tmp, cfg->lo_program, 1, err) != 0 ||
        (cfg->oxt && install_extension(cfg, tmp, log, err) != 0))
        goto out;
    if (kc_profile_apply_settings(tmp, cfg->lo_program, err) != 0)
        goto out;
    unlink(lock);
    char text[512];
    snprintf(text, sizeof text, "kpicalc %s\nextension %s\n", KPICALC_VERSION,
             cfg->oxt ? cfg->oxt : "(none)");
    if (kc_write_atomic(marker, text, strlen(text), err) != 0)
        goto out;
    /* A half-built profile from an interrupted run may be in the way. */
    if (kc_rmtree(final) != 0 || rename(tmp, final) != 0) {
        kc_err_sys(err, "cannot move the new profile to %s", final);
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

int kc_profile_check_dir(const char *dir, struct kc_err *err)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        kc_err_sys(err, "profile folder %s", dir);
        return -1;
    }
    if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
        kc_err_set(err,
                   "profile folder %s is %s: refused (kpicalc runs LibreOffice "
                   "and its extension from it)",
                   dir,
                   S_ISLNK(st.st_mode) ? "a symbolic link" : "not a folder");
        return -1;
    }
    if (st.st_uid != geteuid()) {
        kc_err_set(err,
                   "profile folder %s belongs to another user (uid %ld): "
                   "refused (kpicalc runs LibreOffice and its extension from "
                   "it; use a folder of your own, see --profile-dir)",
                   dir, (long)st.st_uid);
        return -1;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        kc_err_set(err,
                   "profile folder %s is writable by other users (mode %03o): "
                   "refused (kpicalc runs LibreOffice and its extension from "
                   "it; chmod go-w it or use another folder)",
                   dir, (unsigned)(st.st_mode & 07777));
        return -1;
    }
    /* a parent that anyone may write to and that is not sticky lets anyone
     * replace the folder itself */
    char *parent = kc_dirname(dir);
    int rc = 0;
    if (parent && lstat(parent, &st) == 0 && (st.st_mode & S_IWOTH) &&
        !(st.st_mode & S_ISVTX)) {
        kc_err_set(err,
                   "profile folder %s is in %s, which everyone may write to "
                   "and which is not sticky: refused",
                   dir, parent);
        rc = -1;
    }
    free(parent);
    return rc;
}

/* Makes DIR (mode 700) when it is missing, then checks it. */
static int safe_dir(const char *dir, struct kc_err *err)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        kc_err_sys(err, "cannot create folder %s", dir);
        return -1;
    }
    return kc_profile_check_dir(dir, err);
}

int kc_profile_acquire(const struct kc_profile_cfg *cfg, const char *base,
                       struct kc_profile *p, struct kc_err *err)
{
    memset(p, 0, sizeof *p);
    p->lock_fd = -1;
    if (!cfg || !cfg->lo_program || !base) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    /* the folder of all kpicalc profiles (--profile-dir or the cache's
     * kpicalc/), its parents made if missing, then it and BASE in it:
     * ours, and writable by nobody else */
    char *root = kc_dirname(base);
    char *grand = root ? kc_dirname(root) : NULL;
    int ok = root && grand && kc_mkdirs(grand, 0700, err) == 0 &&
             safe_dir(root, err) == 0 && safe_dir(base, err) == 0;
    if (!root || !grand)
        kc_err_set(err, "out of memory");
    free(root);
    free(grand);
    if (!ok)
        return -1;
    for (int k = 0; k < MAX_SLOTS; k++) {
        char name[64];
        snprintf(name, sizeof name, "worker-%d.lock", k);
        char *lockpath = kc_path_join(base, name);
        if (!lockpath) {
            kc_err_set(err, "out of memory");
            return -1;
        }
        int fd =
            open(lockpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            kc_err_sys(err, "cannot open %s", lockpath);
            free(lockpath);
            return -1;
        }
        free(lockpath);
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            close(fd);
            if (errno == EWOULDBLOCK)
                continue; /* another worker or run has it */
            kc_err_sys(err, "cannot lock a profile in %s", base);
            return -1;
        }
        snprintf(name, sizeof name, "worker-%d", k);
        char *dir = kc_path_join(base, name);
        char *marker = dir ? kc_path_join(dir, MARKER) : NULL;
        if (!dir || !marker) {
            kc_err_set(err, "out of memory");
            free(dir);
            close(fd);
            return -1;
        }
        int ok = access(marker, F_OK) == 0;
        free(marker);
        if (ok && kc_profile_check_dir(dir, err) != 0) {
            free(dir);
            close(fd);
            return -1;
        }
        if (!ok && build(cfg, base, dir, err) != 0) {
            free(dir);
            close(fd);
            return -1;
        }
        if (ok && kc_profile_apply_settings(dir, cfg->lo_program, err) != 0) {
            free(dir);
            close(fd);
            return -1;
        }
        p->dir = dir;
        p->url = kc_file_url(dir);
        p->lock_fd = fd;
        if (!p->url) {
            kc_profile_release(p);
            kc_err_set(err, "out of memory");
            return -1;
        }
        return 0;
    }
    kc_err_set(err, "all %d profiles in %s are in use", MAX_SLOTS, base);
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
