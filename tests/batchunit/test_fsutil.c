/* Unit tests of batch/fsutil.c: run tags, locked folders and the sweep of
 * what killed runs left, which must never take a live folder of another
 * run (another host, another PID namespace) sharing the output folder. */
#include "fsutil.h"
#include "kpi_test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int exists(const char *dir, const char *name)
{
    char *p = kc_path_join(dir, name);
    struct stat st;
    int r = p && stat(p, &st) == 0;
    free(p);
    return r;
}

int main(void)
{
    char tmpl[] = "/tmp/kpicalc-test-fsutil.XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    if (!dir)
        return kpi_test_report("batch fsutil");
    struct kc_err kerr;

    /* run tags differ between runs and carry no '/' */
    char a[128], b[128];
    CHECK_EQ_INT(kc_run_tag(a, sizeof a), 0);
    CHECK_EQ_INT(kc_run_tag(b, sizeof b), 0);
    CHECK(strcmp(a, b) != 0);
    CHECK(strchr(a, '/') == NULL);
    char tiny[4];
    CHECK_EQ_INT(kc_run_tag(tiny, sizeof tiny), -1);

    /* a staging folder is named by tag and PID */
    char *stage = kc_stage_dir(dir, a, 42);
    CHECK(stage && strstr(stage, a) && strstr(stage, "-42.tmp"));

    /* a live folder (its lock held by another process) is kept; once its
     * owner is gone, the sweep removes it */
    int ready[2];
    CHECK_EQ_INT(pipe(ready), 0);
    pid_t child = fork();
    if (child == 0) {
        int fd;
        struct kc_err ke;
        if (kc_make_locked_dir(stage, &fd, &ke) != 0)
            _exit(1);
        if (write(ready[1], "x", 1) != 1)
            _exit(1);
        pause(); /* holds the lock until killed */
        _exit(0);
    }
    char c;
    CHECK_EQ_INT(read(ready[0], &c, 1), 1);
    const char *base = strrchr(stage, '/') + 1;
    CHECK(exists(dir, base));
    CHECK_EQ_INT(kc_sweep_stale(dir, KC_STAGE_PREFIX, KC_STAGE_SUFFIX), 0);
    CHECK(exists(dir, base));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    CHECK_EQ_INT(kc_sweep_stale(dir, KC_STAGE_PREFIX, KC_STAGE_SUFFIX), 1);
    CHECK(!exists(dir, base));

    /* our own lock: kept while held, removed after close */
    int fd = -1;
    CHECK_EQ_INT(kc_make_locked_dir(stage, &fd, &kerr), 0);
    CHECK(fd >= 0);
    CHECK(exists(dir, base));
    /* flock locks belong to the open file: a second open in this process
     * conflicts too, so the sweep sees the folder as live */
    CHECK_EQ_INT(kc_sweep_stale(dir, KC_STAGE_PREFIX, KC_STAGE_SUFFIX), 0);
    close(fd);
    CHECK_EQ_INT(kc_sweep_stale(dir, KC_STAGE_PREFIX, KC_STAGE_SUFFIX), 1);

    /* an older kpicalc's folder, named by a PID that is gone: removed; one
     * of a live PID (ours): kept; a fresh .new folder: kept */
    char *old = kc_path_join(dir, ".kpicalc-999999999.tmp");
    char live[64];
    snprintf(live, sizeof live, ".kpicalc-%ld.tmp", (long)getpid());
    char *livep = kc_path_join(dir, live);
    char *fresh = kc_path_join(dir, ".kpicalc-h-1-2.tmp.new");
    CHECK(old && livep && fresh);
    CHECK_EQ_INT(mkdir(old, 0700), 0);
    CHECK_EQ_INT(mkdir(livep, 0700), 0);
    CHECK_EQ_INT(mkdir(fresh, 0700), 0);
    CHECK_EQ_INT(kc_sweep_stale(dir, KC_STAGE_PREFIX, KC_STAGE_SUFFIX), 1);
    CHECK(!exists(dir, ".kpicalc-999999999.tmp"));
    CHECK(exists(dir, live));
    CHECK(exists(dir, ".kpicalc-h-1-2.tmp.new"));

    /* a lock file that is a symbolic link is not followed */
    char *sl = kc_path_join(dir, ".kpicalc-x-1.tmp");
    char *sll = sl ? kc_path_join(sl, ".lock") : NULL;
    CHECK(sll && mkdir(sl, 0700) == 0 && symlink("/etc/passwd", sll) == 0);
    kc_sweep_stale(dir, KC_STAGE_PREFIX, KC_STAGE_SUFFIX);
    struct stat st;
    CHECK(stat("/etc/passwd", &st) == 0);

    free(old);
    free(livep);
    free(fresh);
    free(sl);
    free(sll);
    free(stage);
    kc_rmtree(dir);
    return kpi_test_report("batch fsutil");
}
