"""Shared by the Python test runners (tests/calc, tests/samples): the pass /
fail tally, the command line `[OXT] [-k substring]` and column letters (also
used by samples/layout.py). Plain Python: no UNO."""
import os

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
