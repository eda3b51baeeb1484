"""Shared by the Python test runners (tests/calc, tests/samples): the pass /
fail tally, the command line `[OXT] [-k substring]`, the main loop over the
test groups (run_groups), reading a cell's value or error, and column letters
(also used by samples/layout.py). Importing it needs no UNO: run_groups
imports office.py only when called."""
import os
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def col_letter(i):
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_actual(cell):
    """The number a cell shows, or its error text."""
    if cell.getError() != 0:
        return cell.getString()
    return cell.getValue()


class Report:
    def __init__(self, quiet=False):
        self.passed = 0
        self.failed = 0
        self.quiet = quiet

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            if not self.quiet:
                print("FAIL", what, flush=True)
        return ok


def parse_args(argv):
    """(path of the .oxt, substring selecting the tests or None)."""
    oxt = os.path.join(ROOT, "build", "kpicalc.oxt")
    only = None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "-k" and args:
            only = args.pop(0)
        else:
            oxt = a
    return oxt, only


def run_in(report, groups, office, only=None):
    """Calls each fn(OFFICE) of GROUPS whose name contains ONLY (all when
    None); a group that raises prints its traceback and counts as one
    failure "NAME: raised"."""
    for name, fn in groups:
        if only and only not in name:
            continue
        try:
            fn(office)
        except Exception:
            traceback.print_exc()
            report.check(False, "%s: raised" % name)


def run_groups(label, report, groups, oxt, only=None):
    """The runners' main loop: in one Office with OXT installed, call each
    fn(office) of GROUPS, a list of (name, fn), whose name contains ONLY (all
    when None); a group that raises prints its traceback and counts as one
    failure "NAME: raised". Prints "LABEL: N passed, N failed" (build.sh
    parses it) and returns the exit code: 1 on any failure or when nothing
    passed, else 0."""
    from office import Office
    with Office(oxt) as office:
        run_in(report, groups, office, only)
    print("%s: %d passed, %d failed" % (label, report.passed, report.failed))
    return 1 if report.failed or report.passed == 0 else 0
