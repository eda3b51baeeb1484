/* A check of ZIP-based workbooks (.ods, .xlsx) before they are given to
 * LibreOffice, which silently "repairs" a damaged archive into an empty
 * document (or aborts): the end record, the central directory and every
 * member's local header and data must lie inside the file, and every
 * member must inflate to its recorded size and CRC-32 (with zlib, loaded
 * at run time; without it only the structure is checked). */
#ifndef KPICALC_ZIPCHECK_H
#define KPICALC_ZIPCHECK_H

#include <stddef.h>

/* Returns 1 when the file at PATH starts like a ZIP archive, 0 when it
 * does not, -1 when it cannot be read (errno set). */
int kc_is_zip(const char *path);

/* What the check saw of a whole archive's members (all 0 for a ZIP64
 * archive, which is beyond this check). */
struct kc_zip_info {
    int odf_spreadsheet; /* first member "mimetype", stored, naming an
                            OpenDocument spreadsheet */
    int ooxml_workbook;  /* lists the member xl/workbook.xml */
};

/* 0 when the archive at PATH is whole, with what it holds in INFO (when
 * not NULL); -1 with the reason in ERR otherwise. */
int kc_zip_check(const char *path, struct kc_zip_info *info, char *err,
                 size_t errsz);

#endif
