/* A worker process: LibreOffice loaded in-process through LibreOfficeKit
 * with a private profile, recalculating one workbook at a time as the
 * parent asks (see pool.h for the records exchanged). */
#ifndef KPICALC_WORKER_H
#define KPICALC_WORKER_H

struct kc_worker_cfg {
    const char *lo_program;  /* LibreOffice's program folder */
    const char *profile_url; /* file:// URL of this worker's profile */
    const char *profile_dir; /* the same folder as a path */
    const char *scratch;     /* a private folder for temporary exports */
    const char *run_tag;     /* names the staging folders (kc_stage_dir) */
    long long max_output;    /* bytes no file it writes may reach (0: none) */
};

/* Starts LibreOffice, answers "READY" (or "FATAL\tmessage") on RES_FD,
 * then handles the "JOB" records read from JOB_FD until it closes.
 * Never returns. */
void kc_worker_run(const struct kc_worker_cfg *cfg, int job_fd, int res_fd)
    __attribute__((noreturn));

/* The test-only fault injection: KPICALC_FAULT holds comma-separated
 * "crash:NAME" or "hang:NAME" items; a worker given a workbook whose file
 * name is NAME crashes (SIGSEGV) or hangs after loading it and writing a
 * partial output. Returns 'c', 'h' or 0 for the file name BASE. */
int kc_fault_for(const char *base);

#endif
