#!/usr/bin/python3
"""Renders the printed pages of sample workbooks to PDF and PNG.

    /usr/bin/python3 samples/render_pictures.py [build/kpicalc.oxt] [OUTDIR]
                                                [--docs]

Converts samples/dongchen-2020.ods and samples/county/donghu-2020.ods to PDF
with soffice --headless in a throwaway profile that has the kpicalc
extension installed (the workbooks' print ranges give three Chinese pages:
PrintInput, PrintIndicators and PrintTrend), then each page to PNG with
pdftoppm; donghu-2020.ods also in a
profile WITHOUT the extension (what a recipient without the add-in sees,
county-donghu-noaddin-*). OUTDIR defaults to
build/pictures. --docs also copies the pictures shown by docs/templates.md
and the README to docs/img/.
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "calc"))

from office import SOFFICE, make_profile  # noqa: E402

DONGHU = os.path.join(HERE, "county", "donghu-2020.ods")
# (name, workbook, with the extension installed)
BOOKS = [("dongchen", os.path.join(HERE, "dongchen-2020.ods"), True),
         ("county-donghu", DONGHU, True),
         ("county-donghu-noaddin", DONGHU, False)]
PAGES = ["input", "indicators", "trend"]
DOCS = {"dongchen-indicators.png": "dongchen-indicators.png",
        "dongchen-input.png": "dongchen-input.png",
        "dongchen-trend.png": "dongchen-trend.png",
        "county-donghu-indicators.png": "county-indicators.png",
        "county-donghu-trend.png": "county-trend.png",
        "county-donghu-noaddin-indicators.png":
        "county-indicators-noaddin.png"}


def main(argv):
    docs = "--docs" in argv
    argv = [a for a in argv if a != "--docs"]
    oxt = argv[0] if argv else os.path.join(ROOT, "build", "kpicalc.oxt")
    out = argv[1] if len(argv) > 1 else os.path.join(ROOT, "build",
                                                     "pictures")
    os.makedirs(out, exist_ok=True)
    profiles = {True: make_profile(oxt), False: make_profile(oxt, install=False)}
    try:
        for name, path, addin in BOOKS:
            profile = profiles[addin]
            tmp = os.path.join(out, name + ".ods")
            shutil.copy(path, tmp)
            subprocess.run([SOFFICE, "--headless", "--norestore",
                            "-env:UserInstallation=file://" + profile,
                            "--convert-to", "pdf", "--outdir", out, tmp],
                           check=True, stdout=subprocess.DEVNULL)
            os.remove(tmp)
            pdf = os.path.join(out, name + ".pdf")
            subprocess.run(["pdftoppm", "-png", "-r", "96", pdf,
                            os.path.join(out, name)], check=True)
            pngs = sorted(f for f in os.listdir(out)
                          if re.fullmatch(re.escape(name) + r"-\d+\.png", f))
            for f, page in zip(pngs, PAGES):
                os.replace(os.path.join(out, f),
                           os.path.join(out, "%s-%s.png" % (name, page)))
            print("wrote", pdf, "and", len(pngs), "PNG pages")
    finally:
        for profile in profiles.values():
            shutil.rmtree(profile, ignore_errors=True)
    if docs:
        img = os.path.join(ROOT, "docs", "img")
        os.makedirs(img, exist_ok=True)
        for src, dst in DOCS.items():
            shutil.copy(os.path.join(out, src), os.path.join(img, dst))
            print("wrote", os.path.join("docs", "img", dst))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
