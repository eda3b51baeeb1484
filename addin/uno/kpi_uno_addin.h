/* kpi_uno_addin.h - the add-in object's class (see kpi_uno_addin.c). */
#ifndef KPI_UNO_ADDIN_H
#define KPI_UNO_ADDIN_H

#include "kpi_uno_object.h"

extern const kpi_uno_class kpi_uno_addin_class;

#endif
