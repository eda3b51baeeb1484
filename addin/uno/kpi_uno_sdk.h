/* kpi_uno_sdk.h - the LibreOffice SDK's binary-UNO C headers, made valid C.
 *
 * typelib/typedescription.h of LibreOffice 7.4 declares inline helpers that
 * use `bool` and the bare tag `_typelib_TypeClass`: C needs <stdbool.h> and a
 * typedef of the tag first. Include the SDK through this header only. */
#ifndef KPI_UNO_SDK_H
#define KPI_UNO_SDK_H

#include <stdbool.h>

#include <sal/types.h>
#include <typelib/typeclass.h>
typedef enum _typelib_TypeClass _typelib_TypeClass;
#include <typelib/typedescription.h>

#include <osl/interlck.h>
#include <rtl/string.h>
#include <rtl/textcvt.h>
#include <rtl/ustring.h>
#include <uno/any2.h>
#include <uno/data.h>
#include <uno/dispatcher.h>
#include <uno/environment.h>
#include <uno/sequence2.h>

#endif
