/* Progress on stderr: a bar on a terminal, plain lines otherwise. */
#include "progress.h"

#include "fsutil.h"
#include "msg.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void kc_progress_init(struct kc_progress *p, size_t total, int quiet)
{
    memset(p, 0, sizeof *p);
    p->total = total;
    p->quiet = quiet;
    p->tty = isatty(2);
    p->start = kc_now();
    p->width = 80;
    struct winsize ws;
    if (p->tty && ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        p->width = ws.ws_col;
}

static void clear_bar(struct kc_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        p->drawn = 0;
    }
}

static void fmt_time(char *out, size_t n, double s)
{
    if (s < 0 || s > 99 * 3600.0) {
        snprintf(out, n, "--:--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

static void draw(struct kc_progress *p)
{
    double now = kc_now(), el = now - p->start;
    double rate = el > 0 ? (double)p->done / el : 0;
    char eta[32], info[160];
    fmt_time(eta, sizeof eta,
             rate > 0 ? (double)(p->total - p->done) / rate : -1);
    snprintf(info, sizeof info, " %zu/%zu  %.2f files/s  ETA %s%s", p->done,
             p->total, rate, eta, "");
    char failed[48] = "";
    if (p->failed)
        snprintf(failed, sizeof failed, "  %zu failed", p->failed);
    int barw = p->width - (int)strlen(info) - (int)strlen(failed) - 3;
    if (barw > 50)
        barw = 50;
    if (barw < 10)
        barw = 10;
    int fill = p->total
                   ? (int)((double)barw * (double)p->done / (double)p->total)
                   : barw;
    char bar[64];
    for (int i = 0; i < barw; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[barw] = '\0';
    fprintf(stderr, "\r\033[K[%s]%s%s", bar, info, failed);
    fflush(stderr);
    p->drawn = 1;
    p->last_draw = now;
}

void kc_progress_say(struct kc_progress *p, const char *line)
{
    clear_bar(p);
    fprintf(stderr, "%s\n", line);
    if (p->tty && !p->quiet && p->done < p->total)
        draw(p);
    fflush(stderr);
}

void kc_progress_item(struct kc_progress *p, const char *name, int ok,
                      const char *message, double seconds)
{
    p->done++;
    if (!ok)
        p->failed++;
    char line[4096];
    if (!ok) {
        snprintf(line, sizeof line, kc_tr("FAILED %s: %s"), name,
                 message && *message ? message : kc_tr("unknown error"));
        kc_progress_say(p, line);
        return;
    }
    if (p->quiet)
        return;
    if (!p->tty) {
        snprintf(line, sizeof line, kc_tr("ok     %s (%.2f s)%s%s"), name,
                 seconds, message && *message ? ": " : "",
                 message ? message : "");
        kc_progress_say(p, line);
        return;
    }
    if (message && *message) {
        snprintf(line, sizeof line, kc_tr("note   %s: %s"), name, message);
        kc_progress_say(p, line);
    }
    kc_progress_tick(p);
}

void kc_progress_tick(struct kc_progress *p)
{
    if (!p->tty || p->quiet)
        return;
    if (kc_now() - p->last_draw >= 0.1 || p->done == p->total)
        draw(p);
}

void kc_progress_end(struct kc_progress *p)
{
    clear_bar(p);
    fflush(stderr);
}
