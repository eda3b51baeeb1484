/* The worker processes and the parent's side of their protocol. */
#include "pool.h"

#include "child.h"

#include "buf.h"
#include "fsutil.h"
#include "msg.h"
#include "proto.h"
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define START_FAILURES_MAX 3
#define RETIRE_GRACE 10.0

enum wstate { W_NONE, W_STARTING, W_IDLE, W_BUSY, W_RETIRING };

struct worker {
    enum wstate state;
    pid_t pid;
    int job_fd, res_fd;
    size_t job;
    double started, deadline;
    int docs;
    struct kc_buf in;
    char *log;
};

struct pool {
    const struct kc_pool_cfg *cfg;
    const struct kc_job *jobs;
    struct kc_result *results;
    size_t n;
    struct kc_pool_stats *stats;
    size_t *queue; /* job indices still to do; [head, tail) */
    size_t head, tail, cap;
    size_t remaining; /* jobs without a final result */
    struct worker *w;
    int start_failures;
    char start_error[512];
    char last_note[512]; /* the last NOTE printed (every worker sends it) */
};

static void finish(struct pool *p, size_t job, enum kc_state st,
                   const char *msg);

/* Puts JOB first in line (a retry, or a job its worker never got). */
static void push_front(struct pool *p, size_t job)
{
    if (p->head == 0) {
        size_t extra = p->n + 16;
        size_t *q = realloc(p->queue, (p->cap + extra) * sizeof *q);
        if (!q) {
            /* no memory to queue it: it fails rather than vanishing */
            finish(p, job, KC_FAILED, "out of memory");
            return;
        }
        memmove(q + extra, q, p->cap * sizeof *q);
        p->queue = q;
        p->head += extra;
        p->tail += extra;
        p->cap += extra;
    }
    p->queue[--p->head] = job;
}

static double startup_timeout(const struct kc_pool_cfg *cfg)
{
    return cfg->timeout > 60.0 ? cfg->timeout : 60.0;
}

static void set_message(struct kc_result *r, const char *msg)
{
    free(r->message);
    r->message = msg && *msg ? strdup(msg) : NULL;
}

/* The worker's memory (kB) from /proc: VmHWM when HWM, else VmRSS. */
static long worker_kb(pid_t pid, int hwm)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    const char *key = hwm ? "VmHWM:" : "VmRSS:";
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0)
            kb = strtol(line + strlen(key), NULL, 10);
    fclose(f);
    return kb;
}

static void note_peak(struct pool *p, pid_t pid)
{
    long kb = worker_kb(pid, 1);
    if (kb > p->stats->peak_rss_kb)
        p->stats->peak_rss_kb = kb;
}

/* The last non-empty line of a worker's log, for a crash report. */
static void log_tail(const char *log, char *out, size_t outsz)
{
    out[0] = '\0';
    int fd = log ? open(log, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0)
        return;
    char buf[2048];
    off_t size = lseek(fd, 0, SEEK_END);
    off_t from =
        size > (off_t)sizeof buf - 1 ? size - (off_t)sizeof buf + 1 : 0;
    ssize_t r = pread(fd, buf, sizeof buf - 1, from);
    close(fd);
    if (r <= 0)
        return;
    buf[r] = '\0';
    char *end = buf + r;
    while (end > buf && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
        *--end = '\0';
    char *start = strrchr(buf, '\n');
    start = start ? start + 1 : buf;
    snprintf(out, outsz, "%.200s", start);
}

static void close_fds_except(int keep_a, int keep_b)
{
    for (int fd = 3; fd < 1024; fd++)
        if (fd != keep_a && fd != keep_b)
            close(fd);
}

/* The scratch folder of the worker process PID in SLOT. */
static void scratch_dir(const struct kc_pool_cfg *cfg, int slot, pid_t pid,
                        char *buf, size_t bufsz)
{
    snprintf(buf, bufsz, "%s/w%d-%ld", cfg->run_tmp, slot, (long)pid);
}

static int spawn(struct pool *p, int slot)
{
    struct worker *w = &p->w[slot];
    const struct kc_pool_cfg *cfg = p->cfg;
    int jp[2], rp[2];
    if (pipe2(jp, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(rp, O_CLOEXEC) != 0) {
        close(jp[0]);
        close(jp[1]);
        return -1;
    }
    pid_t pid = kc_child_spawn();
    if (pid < 0) {
        close(jp[0]);
        close(jp[1]);
        close(rp[0]);
        close(rp[1]);
        return -1;
    }
    if (pid == 0) {
        /* the worker: its own process group, killed with its parent */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        int null = open("/dev/null", O_RDONLY);
        int log = open(w->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (null >= 0)
            dup2(null, 0);
        if (log >= 0 && !getenv("KPICALC_DEBUG")) {
            dup2(log, 1);
            dup2(log, 2);
        }
        close_fds_except(jp[0], rp[1]);
        char scratch[4096];
        scratch_dir(cfg, slot, getpid(), scratch, sizeof scratch);
        struct kc_worker_cfg wc = {cfg->lo_program,
                                   cfg->profiles[slot].url,
                                   cfg->profiles[slot].dir,
                                   scratch,
                                   cfg->run_tag,
                                   cfg->max_output};
        kc_worker_run(&wc, jp[0], rp[1]);
    }
    close(jp[0]);
    close(rp[1]);
    fcntl(rp[0], F_SETFL, O_NONBLOCK);
    w->pid = pid;
    w->job_fd = jp[1];
    w->res_fd = rp[0];
    w->state = W_STARTING;
    w->started = kc_now();
    w->deadline = w->started + startup_timeout(cfg);
    w->docs = 0;
    kc_buf_clear(&w->in);
    p->stats->started++;
    return 0;
}

/* Removes what a killed worker may have left: its staging folders and its
 * scratch folder. */
static void clean_after(struct pool *p, int slot, pid_t pid, size_t job)
{
    const struct kc_job *j = job < p->n ? &p->jobs[job] : NULL;
    for (int i = 0; j && i < j->nout; i++) {
        char *dir = kc_dirname(j->final[i]);
        if (!dir)
            continue;
        char *stage = kc_stage_dir(dir, p->cfg->run_tag, (long)pid);
        if (stage)
            kc_rmtree(stage);
        free(stage);
        free(dir);
    }
    char scratch[4096];
    scratch_dir(p->cfg, slot, pid, scratch, sizeof scratch);
    kc_rmtree(scratch);
}

/* Kills a worker (and its process group) and waits for it; returns its
 * wait status. */
static int kill_worker(struct worker *w)
{
    int status = kc_child_kill(w->pid);
    if (w->job_fd >= 0)
        close(w->job_fd);
    if (w->res_fd >= 0)
        close(w->res_fd);
    w->job_fd = w->res_fd = -1;
    w->pid = 0;
    w->state = W_NONE;
    return status;
}

static void finish(struct pool *p, size_t job, enum kc_state st,
                   const char *msg)
{
    struct kc_result *r = &p->results[job];
    r->state = st;
    set_message(r, msg);
    p->remaining--;
    if (p->cfg->on_result)
        p->cfg->on_result(p->cfg->ctx, job);
}

/* A worker died or was killed while it had JOB: fail it, or put it back
 * for another attempt. */
static void lost_job(struct pool *p, size_t job, const char *why, int retry)
{
    struct kc_result *r = &p->results[job];
    if (retry && r->attempts <= p->cfg->retries) {
        set_message(r, why);
        push_front(p, job); /* next in line, on a fresh worker */
        return;
    }
    char msg[1024];
    if (r->attempts > 1)
        snprintf(msg, sizeof msg, "%s (%d attempts)", why, r->attempts);
    else
        snprintf(msg, sizeof msg, "%s", why);
    r->error_cells = -1;
    r->addin_cells = -1;
    finish(p, job, KC_FAILED, msg);
}

static void describe_exit(int status, char *out, size_t outsz)
{
    if (WIFSIGNALED(status))
        snprintf(out, outsz, "signal %d, %s", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else if (WIFEXITED(status))
        snprintf(out, outsz, "exit status %d", WEXITSTATUS(status));
    else
        snprintf(out, outsz, "status %d", status);
}

/* The worker's pipe closed or broke: it is gone. */
static void on_worker_gone(struct pool *p, int slot)
{
    struct worker *w = &p->w[slot];
    enum wstate was = w->state;
    pid_t pid = w->pid;
    size_t job = w->job;
    char *log = w->log;
    note_peak(p, pid);
    int status = kill_worker(w);
    if (was == W_RETIRING) {
        clean_after(p, slot, pid, (size_t)-1);
        return;
    }
    char how[128], tail[256], msg[600];
    describe_exit(status, how, sizeof how);
    log_tail(log, tail, sizeof tail);
    clean_after(p, slot, pid, was == W_BUSY ? job : (size_t)-1);
    if (was == W_BUSY) {
        snprintf(msg, sizeof msg, "worker crashed (%s)%s%s", how,
                 *tail ? "; last words: " : "", tail);
        lost_job(p, job, msg, 1);
    } else if (was == W_STARTING) {
        p->start_failures++;
        if (!p->start_error[0])
            snprintf(p->start_error, sizeof p->start_error,
                     "LibreOffice did not start (%s)%s%s", how,
                     *tail ? ": " : "", tail);
    }
}

static int handle_line(struct pool *p, int slot, char *line)
{
    struct worker *w = &p->w[slot];
    int max = 1;
    for (const char *c = line; *c; c++)
        max += *c == '\t';
    char **f = malloc((size_t)max * sizeof *f);
    if (!f)
        return -1;
    int n = kc_rec_split(line, f, max);
    if (n >= 1 && strcmp(f[0], "READY") == 0 && w->state == W_STARTING) {
        w->state = W_IDLE;
        p->start_failures = 0;
    } else if (n >= 1 && strcmp(f[0], "FATAL") == 0) {
        snprintf(p->start_error, sizeof p->start_error, "%s",
                 n > 1 ? f[1] : "LibreOffice did not start");
        /* a reason that a new worker would meet again: no more tries */
        if (n > 2 && strcmp(f[2], "permanent") == 0)
            p->start_failures = START_FAILURES_MAX;
    } else if (n >= 2 && strcmp(f[0], "NOTE") == 0) {
        /* a worker's remark for the run's log (the loader it fell back
         * to, and why): once per distinct text */
        if (strncmp(p->last_note, f[1], sizeof p->last_note - 1) != 0) {
            snprintf(p->last_note, sizeof p->last_note, "%s", f[1]);
            fprintf(stderr, kc_tr("kpicalc: note: %s\n"), f[1]);
        }
    } else if (n >= 6 && strcmp(f[0], "RES") == 0 && w->state == W_BUSY &&
               strtoul(f[1], NULL, 10) == w->job) {
        struct kc_result *r = &p->results[w->job];
        r->seconds = kc_now() - w->started;
        r->error_cells = *f[3] ? strtol(f[3], NULL, 10) : -1;
        r->addin_cells = *f[4] ? strtol(f[4], NULL, 10) : -1;
        kc_kpi_list_free(&r->kpis);
        for (int i = 6; i + 2 < n; i += 3)
            kc_kpi_add(&r->kpis, f[i], f[i + 2], f[i + 1][0]);
        w->state = W_IDLE;
        w->docs++;
        finish(p, w->job, strcmp(f[2], "ok") == 0 ? KC_OK : KC_FAILED, f[5]);
        /* restart a worker that did its share or grew too big */
        long rss = worker_kb(w->pid, 0);
        if (w->docs >= p->cfg->max_docs ||
            (p->cfg->max_rss_kb > 0 && rss > p->cfg->max_rss_kb)) {
            note_peak(p, w->pid);
            close(w->job_fd);
            w->job_fd = -1;
            w->state = W_RETIRING;
            w->deadline = kc_now() + RETIRE_GRACE;
        }
    }
    free(f);
    return 0;
}

static void read_worker(struct pool *p, int slot)
{
    struct worker *w = &p->w[slot];
    char block[8192];
    for (;;) {
        ssize_t r = read(w->res_fd, block, sizeof block);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            break;
        if (r <= 0) {
            on_worker_gone(p, slot);
            return;
        }
        kc_buf_add(&w->in, block, (size_t)r);
        char *nl;
        while (w->in.p && (nl = memchr(w->in.p, '\n', w->in.len)) != NULL) {
            *nl = '\0';
            size_t used = (size_t)(nl - w->in.p) + 1;
            char *line = strdup(w->in.p);
            memmove(w->in.p, w->in.p + used, w->in.len - used);
            w->in.len -= used;
            w->in.p[w->in.len] = '\0';
            if (line)
                handle_line(p, slot, line);
            free(line);
        }
    }
}

static int assign(struct pool *p, int slot)
{
    struct worker *w = &p->w[slot];
    size_t job = p->queue[p->head++];
    const struct kc_job *j = &p->jobs[job];
    struct kc_buf b = {0};
    kc_rec_field(&b, "JOB");
    kc_rec_fieldf(&b, "%zu", job);
    kc_rec_field(&b, j->input);
    /* flags: s scan the cells, b byte-order mark in CSV outputs,
     * p portable outputs, r raw CSV text */
    kc_rec_fieldf(&b, "%s%s%s%s", p->cfg->scan ? "s" : "",
                  p->cfg->csv_bom ? "b" : "", p->cfg->portable ? "p" : "",
                  p->cfg->csv_raw ? "r" : "");
    kc_rec_field(&b, j->backup ? j->backup : "");
    kc_rec_field(&b, j->freeze ? j->freeze : "");
    for (int i = 0; i < j->nout; i++) {
        kc_rec_field(&b, j->fmt[i]);
        kc_rec_field(&b, j->final[i]);
    }
    int rc = kc_rec_end(&b);
    p->results[job].attempts++;
    w->job = job;
    w->state = W_BUSY;
    w->started = kc_now();
    w->deadline = w->started + p->cfg->timeout;
    if (rc != 0 || kc_write_all(w->job_fd, b.p, b.len) != 0) {
        /* the worker is gone; its pipe will say so */
        p->results[job].attempts--;
        push_front(p, job);
        w->state = W_IDLE;
        kc_buf_free(&b);
        on_worker_gone(p, slot);
        return -1;
    }
    kc_buf_free(&b);
    return 0;
}

static void on_deadline(struct pool *p, int slot)
{
    struct worker *w = &p->w[slot];
    enum wstate was = w->state;
    pid_t pid = w->pid;
    size_t job = w->job;
    note_peak(p, pid);
    kill_worker(w);
    clean_after(p, slot, pid, was == W_BUSY ? job : (size_t)-1);
    if (was == W_BUSY) {
        char msg[128];
        snprintf(msg, sizeof msg, "timeout: still not done after %g s",
                 p->cfg->timeout);
        lost_job(p, job, msg, 0);
    } else if (was == W_STARTING) {
        p->start_failures++;
        snprintf(p->start_error, sizeof p->start_error,
                 "LibreOffice did not start within %g s",
                 startup_timeout(p->cfg));
    }
}

/* The memory watcher: a worker past the limit while it works is killed
 * with its process group, and its workbook fails. */
static void watch_memory(struct pool *p, int slot)
{
    struct worker *w = &p->w[slot];
    if (p->cfg->mem_limit_kb <= 0 || w->state != W_BUSY)
        return;
    long kb = worker_kb(w->pid, 0);
    if (kb <= p->cfg->mem_limit_kb)
        return;
    pid_t pid = w->pid;
    size_t job = w->job;
    note_peak(p, pid);
    kill_worker(w);
    clean_after(p, slot, pid, job);
    char msg[256];
    snprintf(msg, sizeof msg,
             "memory limit: LibreOffice used %ld MB working on it, over the "
             "limit of %ld MB (--memory-limit); it was stopped",
             kb / 1024, p->cfg->mem_limit_kb / 1024);
    lost_job(p, job, msg, 0);
}

int kc_pool_run(const struct kc_pool_cfg *cfg, const struct kc_job *jobs,
                struct kc_result *results, size_t n,
                struct kc_pool_stats *stats, struct kc_err *err)
{
    if (!cfg || cfg->workers < 1 || !jobs || !results || !stats) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    memset(stats, 0, sizeof *stats);
    struct pool p = {
        .cfg = cfg, .jobs = jobs, .results = results, .n = n, .stats = stats};
    /* room in front of the queue for jobs put back after a crash */
    size_t front = n + 16;
    p.cap = front + n + 1;
    p.queue = malloc(p.cap * sizeof *p.queue);
    p.w = calloc((size_t)cfg->workers, sizeof *p.w);
    if (!p.queue || !p.w) {
        free(p.queue);
        free(p.w);
        kc_err_set(err, "out of memory");
        return -1;
    }
    p.head = p.tail = front;
    for (size_t i = 0; i < n; i++)
        if (results[i].state == KC_PENDING)
            p.queue[p.tail++] = i;
    p.remaining = p.tail - p.head;
    for (int s = 0; s < cfg->workers; s++) {
        p.w[s].job_fd = p.w[s].res_fd = -1;
        char name[64];
        snprintf(name, sizeof name, "worker-%d.log", s);
        p.w[s].log = kc_path_join(cfg->run_tmp, name);
    }
    int rc = 0;
    struct pollfd *pfd = calloc((size_t)cfg->workers, sizeof *pfd);
    while (pfd) {
        int active = 0;
        if (cfg->stop && *cfg->stop)
            break;
        if (p.start_failures >= START_FAILURES_MAX) {
            kc_err_set(err, "%s",
                       p.start_error[0] ? p.start_error
                                        : "LibreOffice did not start");
            rc = -1;
            break;
        }
        for (int s = 0; s < cfg->workers; s++) {
            struct worker *w = &p.w[s];
            if (w->state == W_NONE && p.head < p.tail) {
                if (spawn(&p, s) != 0) {
                    kc_err_sys(err, "cannot start a worker");
                    rc = -1;
                    break;
                }
            }
            if (w->state == W_IDLE && p.head < p.tail)
                assign(&p, s);
            if (w->state == W_IDLE && p.head == p.tail) {
                /* nothing left for it: let it go */
                note_peak(&p, w->pid);
                close(w->job_fd);
                w->job_fd = -1;
                w->state = W_RETIRING;
                w->deadline = kc_now() + RETIRE_GRACE;
            }
            if (w->state != W_NONE)
                active++;
        }
        if (rc != 0)
            break;
        if (active == 0 && p.head == p.tail)
            break;
        double now = kc_now(), wait = cfg->mem_limit_kb > 0 ? 0.1 : 0.25;
        int np = 0;
        int slot_of[1024];
        for (int s = 0; s < cfg->workers && np < 1024; s++) {
            struct worker *w = &p.w[s];
            if (w->state == W_NONE || w->res_fd < 0)
                continue;
            if (w->deadline - now < wait)
                wait = w->deadline - now;
            pfd[np].fd = w->res_fd;
            pfd[np].events = POLLIN;
            pfd[np].revents = 0;
            slot_of[np++] = s;
        }
        if (wait < 0)
            wait = 0;
        int pr = poll(pfd, (nfds_t)np, (int)(wait * 1000) + 1);
        if (pr < 0 && errno != EINTR) {
            kc_err_sys(err, "poll");
            rc = -1;
            break;
        }
        for (int i = 0; pr > 0 && i < np; i++)
            if (pfd[i].revents)
                read_worker(&p, slot_of[i]);
        now = kc_now();
        for (int s = 0; s < cfg->workers; s++) {
            struct worker *w = &p.w[s];
            if (w->state != W_NONE && w->state != W_IDLE && now > w->deadline)
                on_deadline(&p, s);
            else
                watch_memory(&p, s);
        }
        if (cfg->on_result)
            cfg->on_result(cfg->ctx, (size_t)-1); /* a tick */
    }
    if (!pfd) {
        kc_err_set(err, "out of memory");
        rc = -1;
    }
    /* the end, or a stop: no worker outlives the run */
    for (int s = 0; s < cfg->workers; s++) {
        struct worker *w = &p.w[s];
        if (w->state == W_NONE)
            continue;
        enum wstate was = w->state;
        pid_t pid = w->pid;
        size_t job = w->job;
        if (was == W_RETIRING) {
            /* it is leaving by itself; give it a moment */
            for (int k = 0; k < 200 && waitpid(pid, NULL, WNOHANG) == 0; k++)
                usleep(10000);
        }
        note_peak(&p, pid);
        kill_worker(w);
        clean_after(&p, s, pid, was == W_BUSY ? job : (size_t)-1);
        if (was == W_BUSY)
            results[job].attempts--;
    }
    for (int s = 0; s < cfg->workers; s++) {
        kc_buf_free(&p.w[s].in);
        free(p.w[s].log);
    }
    free(pfd);
    free(p.w);
    free(p.queue);
    return rc;
}
