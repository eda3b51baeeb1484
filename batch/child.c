/* Child processes: one spawn, wait and kill policy (see child.h). */
#include "child.h"

#include "fsutil.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

pid_t kc_child_spawn(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) /* the parent died before the prctl */
            _exit(1);
    } else if (pid > 0) {
        setpgid(pid, pid); /* also here: no race with the child's own */
    }
    return pid;
}

int kc_child_kill(pid_t pid)
{
    int status = 0;
    if (pid <= 0)
        return 0;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return status;
}

enum kc_child_end kc_child_wait(pid_t pid, double timeout,
                                volatile sig_atomic_t *stop, int *status)
{
    double deadline = timeout > 0 ? kc_now() + timeout : 0;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return KC_CHILD_EXITED;
        if (r < 0 && errno != EINTR)
            return KC_CHILD_ERROR;
        if (stop && *stop) {
            *status = kc_child_kill(pid);
            return KC_CHILD_STOPPED;
        }
        if (deadline > 0 && kc_now() > deadline) {
            *status = kc_child_kill(pid);
            return KC_CHILD_TIMEOUT;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static volatile sig_atomic_t *signal_flag;

static void on_signal(int sig)
{
    if (signal_flag)
        *signal_flag = sig;
}

void kc_child_on_signals(volatile sig_atomic_t *flag)
{
    signal_flag = flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}
