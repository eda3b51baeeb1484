"""The catalogue's examples, run in Calc.

Every row of formulas/catalogue.c carries an example formula and the result
the docs print beside it ("=CERTRATE(31;34)" -> "0.9118 (91.2%)"). kpi-gen
(beside the .oxt under test) lists them (`kpi-gen examples`); each formula is
entered in a real Calc with the extension, and its value must round to the
number written, to as many decimals as are written (0.9118: within 0.00005).
Every catalogue function must have one, so a new row's example is tested
without a line here.
"""
import os
import subprocess

from testkit import cell_actual


def examples(build):
    """[(name, formula, expected number, decimals, result text)]"""
    out = subprocess.run([os.path.join(build, "kpi-gen"), "examples"],
                         check=True, stdout=subprocess.PIPE, text=True)
    rows = []
    for line in out.stdout.splitlines():
        name, formula, result = line.split("\t")
        number = result.split(" ")[0]
        decimals = len(number.split(".")[1]) if "." in number else 0
        rows.append((name, formula, float(number), decimals, result))
    return rows


def shows(got, want, decimals):
    """Whether got, written with `decimals` decimals, reads as want."""
    if not isinstance(got, float):
        return False
    return abs(got - want) <= 0.5 * 10.0 ** -decimals * (1 + 1e-9)


def run(office, report, oxt):
    build = os.path.dirname(os.path.abspath(oxt))
    rows = examples(build)
    names = subprocess.run([os.path.join(build, "kpi-gen"), "list"],
                           check=True, stdout=subprocess.PIPE,
                           text=True).stdout.split()
    report.check(len(rows) == len(names) and len(rows) > 0,
                 "examples: one per catalogue function (%d of %d)" % (
                     len(rows), len(names)))
    # the comparison itself can fail
    report.check(not shows(0.91186, 0.9118, 4) and shows(0.91176, 0.9118, 4)
                 and not shows("#NUM!", 1.0, 0),
                 "examples: rounding comparison")
    doc = office.new_calc()
    try:
        sheet = doc.Sheets.getByIndex(0)
        for i, (_, formula, _, _, _) in enumerate(rows):
            sheet.getCellByPosition(0, i).setFormula(formula)
        doc.calculateAll()
        for i, (name, formula, want, decimals, result) in enumerate(rows):
            got = cell_actual(sheet.getCellByPosition(0, i))
            report.check(shows(got, want, decimals),
                         "example %s: %s gives %r, the catalogue says %s" % (
                             name, formula, got, result))
    finally:
        doc.close(True)
