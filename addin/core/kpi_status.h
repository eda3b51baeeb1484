/* kpi_status.h - status codes shared by every module of the kpicalc core.
 *
 * The core never aborts and never prints: each entry point validates its
 * arguments first and returns one of these codes; results travel through
 * out-parameters (the GSL convention). The add-in maps them to the
 * spreadsheet errors of docs/spec.md. */
#ifndef KPI_STATUS_H
#define KPI_STATUS_H

typedef enum kpi_status {
    KPI_OK = 0,
    KPI_EDIV0,  /* a zero denominator, or too few usable points: #DIV/0! */
    KPI_ENUM,   /* a number out of its domain: #NUM! */
    KPI_EVALUE, /* text, unknown option, mismatched shapes, duplicates: #VALUE!
                 */
    KPI_EMISSING, /* a required argument was left out: Err:511 */
    KPI_ENOMEM    /* allocation failed: reported as #VALUE! */
} kpi_status;

#endif
