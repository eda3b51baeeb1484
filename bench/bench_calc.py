#!/usr/bin/python3
"""Cost of one add-in call in Calc, against Calc's own paths, in one run.

Recalculates 100,000 formula cells three ways in the same office:
  native   =A1/B1                      Calc's own division (the floor)
  analysis =QUOTIENT(A1*1000;B1)       LibreOffice's C++ Analysis add-in
  kpicalc  =CERTRATE(A1;B1)            this C add-in, one call per row
and the array form {=CERTRATE(A1:A100000;B1:B100000)}: one call for the
whole column. Reports microseconds per cell and the ratios. Also the cost
of one TRENDSTATS call on 10 points, when that function exists.

Usage: bench/bench_calc.py [build/kpicalc.oxt] [rows]
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "calc"))

from office import Office  # noqa: E402
from com.sun.star.sheet.FillDirection import TO_BOTTOM  # noqa: E402

REPEAT = 5


def timed_recalc(doc):
    """Best of REPEAT full recalculations, in seconds."""
    best = float("inf")
    for _ in range(REPEAT):
        t = time.perf_counter()
        doc.calculateAll()
        best = min(best, time.perf_counter() - t)
    return best


def column_case(office, rows, formula, array=False):
    doc = office.new_calc()
    try:
        sheet = doc.Sheets.getByIndex(0)
        data = tuple((float(30 + i % 5), 34.0) for i in range(rows))
        sheet.getCellRangeByPosition(0, 0, 1, rows - 1).setDataArray(data)
        target = sheet.getCellRangeByPosition(2, 0, 2, rows - 1)
        if array:
            target.setArrayFormula(formula)
        else:
            # one formula filled down (setFormulaArray is quadratic in rows)
            sheet.getCellByPosition(2, 0).setFormula(formula.replace("{r}", "1"))
            target.fillAuto(TO_BOTTOM, 1)
        doc.calculateAll()  # warm up: the add-in loaded, caches built
        check = sheet.getCellByPosition(2, 1)
        value = check.getValue() if check.getError() == 0 else None
        return timed_recalc(doc), value
    finally:
        doc.close(True)


def trendstats_case(office, formula, calls=2000):
    doc = office.new_calc()
    try:
        sheet = doc.Sheets.getByIndex(0)
        sheet.getCellRangeByPosition(0, 0, 1, 9).setDataArray(
            tuple((float(2011 + i), float(20 - i + (i % 3))) for i in
                  range(10)))
        sheet.getCellByPosition(3, 0).setFormula(formula)
        sheet.getCellRangeByPosition(3, 0, 3, calls - 1).fillAuto(TO_BOTTOM, 1)
        doc.calculateAll()
        if sheet.getCellByPosition(3, 0).getError() != 0:
            return None
        return timed_recalc(doc) / calls
    finally:
        doc.close(True)


def main(argv):
    oxt = argv[0] if argv else os.path.join(ROOT, "build", "kpicalc.oxt")
    rows = int(argv[1]) if len(argv) > 1 else 100000
    with Office(oxt) as office:
        native, v1 = column_case(office, rows, "=A{r}/B{r}")
        analysis, v2 = column_case(office, rows, "=QUOTIENT(A{r}*1000;B{r})")
        kpicalc, v3 = column_case(office, rows, "=CERTRATE(A{r};B{r})")
        array, v4 = column_case(
            office, rows, "=CERTRATE(A1:A%d;B1:B%d)" % (rows, rows),
            array=True)
        native_array, _ = column_case(
            office, rows, "=A1:A%d/B1:B%d" % (rows, rows), array=True)
        ts = trendstats_case(
            office, "=INDEX(TRENDSTATS($B$1:$B$10;$A$1:$A$10);1;1)")
        linest = trendstats_case(
            office, "=INDEX(LINEST($B$1:$B$10;$A$1:$A$10;1;1);1;1)")
    us = lambda s: s / rows * 1e6  # noqa: E731
    print("Calc recalculation of %d formula cells, best of %d (LibreOffice "
          "headless, this machine):" % (rows, REPEAT))
    print("  %-46s %8.3f us/cell  1.00x" % ("native =A/B (baseline)",
                                            us(native)))
    print("  %-46s %8.3f us/cell  %.2fx" % (
        "Analysis add-in (C++) =QUOTIENT(A*1000;B)", us(analysis),
        analysis / native))
    print("  %-46s %8.3f us/cell  %.2fx  (%.2fx the Analysis add-in)" % (
        "kpicalc (C) =CERTRATE(A;B), one call per row", us(kpicalc),
        kpicalc / native, kpicalc / analysis))
    print("  %-46s %8.3f us/cell  %.2fx" % (
        "kpicalc array {=CERTRATE(A1:A;B1:B)}, 1 call", us(array),
        array / native))
    print("  %-46s %8.3f us/cell  %.2fx  (kpicalc array: %.2fx this)" % (
        "native array formula {=A1:A/B1:B}", us(native_array),
        native_array / native, array / native_array))
    if ts is not None and linest is not None:
        print("  one TRENDSTATS call on 10 points: %.1f us; Calc's own "
              "LINEST on the same 10 points: %.1f us (%.2fx)" % (
                  ts * 1e6, linest * 1e6, ts / linest))
    ok = (v1 is not None and abs(v1 - 31 / 34) < 1e-12 and
          v3 is not None and abs(v3 - 31 / 34) < 1e-12 and
          v4 is not None and abs(v4 - 31 / 34) < 1e-12)
    print("  (results checked: %s)" % ("ok" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
