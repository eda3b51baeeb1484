/* Child processes of the batch, one policy for all (the workers of
 * `recalc`, the office of `new-year`, the profile builder):
 *
 *   1. A child runs in a process group of its own, so that killing it
 *      kills everything it started (LibreOffice's helper processes too).
 *   2. A child dies with its parent (PR_SET_PDEATHSIG): a killed or hung-up
 *      kpicalc never leaves an office behind that would write later.
 *   3. Waiting has a deadline and a stop flag (set by a signal handler);
 *      either kills the whole group, and the child is always reaped. */
#ifndef KPICALC_CHILD_H
#define KPICALC_CHILD_H

#include <signal.h>
#include <sys/types.h>

/* fork() under rules 1 and 2: returns 0 in the child, the child's PID in
 * the parent, -1 with errno set. */
pid_t kc_child_spawn(void);

enum kc_child_end {
    KC_CHILD_EXITED = 0,  /* *STATUS holds its wait status */
    KC_CHILD_TIMEOUT = 1, /* the deadline passed: killed */
    KC_CHILD_STOPPED = 2, /* *STOP was set: killed */
    KC_CHILD_ERROR = -1   /* waitpid failed (errno set) */
};

/* Waits for PID for at most TIMEOUT seconds (<= 0: no deadline), polling
 * *STOP (may be NULL) every 20 ms. */
enum kc_child_end kc_child_wait(pid_t pid, double timeout,
                                volatile sig_atomic_t *stop, int *status);

/* Kills PID's process group and PID, and reaps it; its wait status. */
int kc_child_kill(pid_t pid);

/* SIGINT, SIGTERM and SIGHUP set *FLAG to the signal's number (the same
 * handler for every command). */
void kc_child_on_signals(volatile sig_atomic_t *flag);

#endif
