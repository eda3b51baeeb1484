#!/usr/bin/python3
"""In-Calc integration tests: real LibreOffice, the real extension, real
formulas.

Runs every tests/calc/cases/*.tsv (see the header of rates.tsv for the
format) in a headless LibreOffice with build/kpicalc.oxt installed in a
throwaway profile, plus the checks of the other tests/calc/check_*.py modules
(each defines run(office, report)). Prints one line per failure and ends with
"calc: N passed, N failed"; exits non-zero on any failure.

Usage: tests/calc/run_calc_tests.py [build/kpicalc.oxt] [-k substring]
"""
import glob
import importlib
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from testkit import Report, cell_actual, parse_args, run_groups  # noqa: E402


def parse_value(text):
    text = text.strip()
    if text.startswith("#") or text.startswith("Err:"):
        return text
    if text == "TRUE":
        return 1.0
    if text == "FALSE":
        return 0.0
    return float(text)


def parse_expected(text):
    """A value, or a list of rows for an array formula."""
    text = text.strip()
    if text.startswith("[["):
        rows = text[2:-2].split("],[")
        return [[parse_value(v) for v in row.split(",")] for row in rows]
    return parse_value(text)


def matches(actual, expected, rel):
    if isinstance(expected, str) or isinstance(actual, str):
        return actual == expected
    if expected == actual:
        return True
    tol = rel * max(abs(expected), 1e-300)
    return math.isfinite(actual) and abs(actual - expected) <= tol


def fill_data(doc, data):
    sheets = doc.Sheets
    if not sheets.hasByName("Data"):
        sheets.insertNewByName("Data", sheets.getCount())
    sheet = sheets.getByName("Data")
    for column, values in data:
        col = ord(column) - ord("A")
        for row, v in enumerate(values):
            if v == "":
                continue
            cell = sheet.getCellByPosition(col, row)
            try:
                cell.setValue(float(v))
            except ValueError:
                cell.setString(v)


def read_cases(path):
    data, cases = [], []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if parts[0] == "@data":
                data.append((parts[1], parts[2].split(";")))
                continue
            while len(parts) < 4:
                parts.append("")
            formula, expected, rel, note = parts[:4]
            cases.append((lineno, formula, parse_expected(expected),
                          float(rel) if rel else 0.0, note))
    return data, cases


def run_case_file(office, path, report):
    data, cases = read_cases(path)
    report.check(len(cases) > 0, "%s: has cases" % path)
    doc = office.new_calc()
    try:
        fill_data(doc, data)
        sheet = doc.Sheets.getByIndex(0)
        placed = []
        row = 0
        for lineno, formula, expected, rel, note in cases:
            if isinstance(expected, list):
                nrows, ncols = len(expected), len(expected[0])
                rng = sheet.getCellRangeByPosition(0, row, ncols - 1,
                                                   row + nrows - 1)
                rng.setArrayFormula(formula)
            else:
                nrows = 1
                sheet.getCellByPosition(0, row).setFormula(formula)
            placed.append((row, lineno, formula, expected, rel, note))
            row += nrows + 1
        doc.calculateAll()
        name = os.path.basename(path)
        for row, lineno, formula, expected, rel, note in placed:
            where = "%s:%d %s (%s)" % (name, lineno, formula, note)
            if isinstance(expected, list):
                got = [[cell_actual(sheet.getCellByPosition(c, row + r))
                        for c in range(len(expected[0]))]
                       for r in range(len(expected))]
                ok = all(matches(g, e, rel)
                         for gr, er in zip(got, expected)
                         for g, e in zip(gr, er))
                report.check(ok, "%s: got %s, want %s" % (
                    where, json.dumps(got), json.dumps(expected)))
            else:
                got = cell_actual(sheet.getCellByPosition(0, row))
                report.check(matches(got, expected, rel),
                             "%s: got %r, want %r" % (where, got, expected))
    finally:
        doc.close(True)


def run_check_module(path, office, report, oxt):
    mod = importlib.import_module(os.path.splitext(os.path.basename(path))[0])
    mod.run(office, report, oxt)


def main(argv):
    oxt, only = parse_args(argv)
    report = Report()
    files = sorted(glob.glob(os.path.join(HERE, "cases", "*.tsv")))
    checks = sorted(glob.glob(os.path.join(HERE, "check_*.py")))
    groups = [(p, lambda o, p=p: run_case_file(o, p, report))
              for p in files]
    groups += [(p, lambda o, p=p: run_check_module(p, o, report, oxt))
               for p in checks]
    return run_groups("calc", report, groups, oxt, only)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
