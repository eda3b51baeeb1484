/* Unit tests of batch/child.c: a child in its own process group, waited
 * for with a deadline or a stop flag, killed with everything it started. */
#include "child.h"
#include "kpi_test.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* A child that starts a grandchild (in its group) and sleeps; the
 * grandchild's PID comes back through a pipe. */
static pid_t sleeper(pid_t *grandchild)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = kc_child_spawn();
    if (pid == 0) {
        close(p[0]);
        pid_t g = fork();
        if (g == 0) {
            pause();
            _exit(0);
        }
        if (write(p[1], &g, sizeof g) != (ssize_t)sizeof g)
            _exit(1);
        pause();
        _exit(0);
    }
    close(p[1]);
    if (read(p[0], grandchild, sizeof *grandchild) !=
        (ssize_t)sizeof *grandchild)
        *grandchild = -1;
    close(p[0]);
    return pid;
}

static int gone(pid_t pid)
{
    /* the grandchild is reparented (to init or a subreaper) and reaped
     * there; give it a moment */
    for (int i = 0; i < 200; i++) {
        if (kill(pid, 0) != 0 && errno == ESRCH)
            return 1;
        waitpid(pid, NULL, WNOHANG);
        usleep(10000);
    }
    return 0;
}

int main(void)
{
    int status = 0;

    /* a child that exits: its status */
    pid_t pid = kc_child_spawn();
    if (pid == 0)
        _exit(7);
    CHECK(pid > 0);
    CHECK_EQ_INT(getpgid(pid) == pid || !kill(pid, 0), 1);
    CHECK_EQ_INT(kc_child_wait(pid, 5, NULL, &status), KC_CHILD_EXITED);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);

    /* the deadline kills the whole group */
    pid_t g = -1;
    pid = sleeper(&g);
    CHECK(pid > 0 && g > 0);
    CHECK_EQ_INT(getpgid(pid), pid);
    CHECK_EQ_INT(getpgid(g), pid);
    CHECK_EQ_INT(kc_child_wait(pid, 0.2, NULL, &status), KC_CHILD_TIMEOUT);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK(gone(g));

    /* the stop flag (set by a signal) kills it too */
    volatile sig_atomic_t stop = 0;
    kc_child_on_signals(&stop);
    pid = sleeper(&g);
    raise(SIGHUP); /* handled: sets the flag, does not end this test */
    CHECK_EQ_INT(stop, SIGHUP);
    CHECK_EQ_INT(kc_child_wait(pid, 0, &stop, &status), KC_CHILD_STOPPED);
    CHECK(gone(g));

    /* kill of a PID <= 0 is nothing */
    CHECK_EQ_INT(kc_child_kill(0), 0);
    return kpi_test_report("batch child");
}
