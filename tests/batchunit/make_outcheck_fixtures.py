#!/usr/bin/python3
"""Makes the outcheck/zipcheck test fixtures with LibreOffice (python3-uno).

    /usr/bin/python3 tests/batchunit/make_outcheck_fixtures.py [OUTDIR]

writes into OUTDIR (default tests/batchunit/fixtures):
  tiny.{ods,xlsx,xls,pdf,csv,fods}  a 6x3 table with a bar chart, saved by
                                    LibreOffice in every output format of
                                    kpicalc recalc
  pad.ods                           the same with 1,950 more numbers: about
                                    50 KB, so that a truncation at 49,152
                                    bytes loses the central directory, as
                                    the 0.x release's truncated outputs did
  pad.xls                           the same as .xls: a Workbook stream
                                    above the 4,096-byte mini-stream cut-off
  zip64-info.zip                    Info-ZIP's `zip -fz` (ZIP64 end record,
                                    locator, extra fields)
  zip64-py.zip                      Python's zipfile with force_zip64=True
                                    (ZIP64 extra fields in local headers)
Only for regenerating the committed files; the tests never run it.
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

import uno
from com.sun.star.awt import Rectangle
from com.sun.star.beans import PropertyValue
from com.sun.star.table import CellRangeAddress

FILTERS = {
    "ods": "calc8",
    "xlsx": "Calc MS Excel 2007 XML",
    "xls": "MS Excel 97",
    "pdf": "calc_pdf_Export",
    "csv": "Text - txt - csv (StarCalc)",  # UTF-8 below, as kpicalc writes
    "fods": "OpenDocument Spreadsheet Flat XML",
}


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(tmp):
    pipe = "kpicalc_fixtures_%d" % os.getpid()
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(tmp + "/profile"),
         "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            return proc, ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("LibreOffice did not start")


def workbook(desktop, pad):
    doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0,
                                       (prop("Hidden", True),))
    sheet = doc.Sheets.getByIndex(0)
    sheet.Name = "KPI"
    rows = [("year", "cases", "lost"), (2015, 30, 4), (2016, 25, 3),
            (2017, 27, 3), (2018, 20, 2), (2019, 18, 1)]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            cell = sheet.getCellByPosition(c, r)
            if isinstance(v, str):
                cell.String = v
            else:
                cell.Value = v
    sheet.getCellByPosition(3, 0).String = "rate \u6301\u8bc1\u7387, \"quoted\""
    for r in range(1, 6):
        sheet.getCellByPosition(3, r).Formula = "=C%d/B%d" % (r + 1, r + 1)
    rng = CellRangeAddress()
    rng.Sheet, rng.StartColumn, rng.StartRow = 0, 1, 0
    rng.EndColumn, rng.EndRow = 2, 5
    rect = Rectangle()
    rect.X, rect.Y, rect.Width, rect.Height = 6000, 500, 9000, 6000
    sheet.Charts.addNewByName("Trend", rect, (rng,), True, False)
    if pad:
        rnd = random.Random(20261201)
        data = sheet.getCellRangeByPosition(0, 10, 5, 10 + pad // 6 - 1)
        data.setDataArray(tuple(
            tuple(round(rnd.uniform(0, 1000), 4) for _ in range(6))
            for _ in range(pad // 6)))
    return doc


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                          os.path.join(os.path.dirname(__file__), "fixtures"))
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="kpicalc-fix-")
    proc, desktop = connect(tmp)
    try:
        doc = workbook(desktop, 0)
        for ext, flt in FILTERS.items():
            args = [prop("FilterName", flt)]
            if ext == "csv":
                args.append(prop("FilterOptions", "44,34,76,1"))
            doc.storeToURL(uno.systemPathToFileUrl(out + "/tiny." + ext),
                           tuple(args))
        doc.close(True)
        doc = workbook(desktop, 1950)
        for ext in ("ods", "xls"):
            doc.storeToURL(uno.systemPathToFileUrl(out + "/pad." + ext),
                           (prop("FilterName", FILTERS[ext]),))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    # ZIP64 archives: the same small text members, two writers
    members = [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
               ("content.xml", b"<?xml version=\"1.0\"?>\n"
                b"<office:document-content xmlns:office=\"urn:oasis:names:"
                b"tc:opendocument:xmlns:office:1.0\">" +
                b"<b x=\"1\">hello</b>" * 400 +
                b"</office:document-content>\n"),
               ("META-INF/manifest.xml", b"<m/>")]
    src = tempfile.mkdtemp(prefix="kpicalc-z64-")
    try:
        for name, data in members:
            os.makedirs(os.path.dirname(os.path.join(src, name)) or src,
                        exist_ok=True)
            with open(os.path.join(src, name), "wb") as f:
                f.write(data)
        target = os.path.join(out, "zip64-info.zip")
        if os.path.exists(target):
            os.unlink(target)
        # mimetype first and stored, then the rest deflated
        subprocess.run(["zip", "-q", "-X", "-0", "-fz", target, "mimetype"],
                       cwd=src, check=True)
        subprocess.run(["zip", "-q", "-X", "-fz", target] +
                       [m[0] for m in members[1:]], cwd=src, check=True)
    finally:
        shutil.rmtree(src)
    with zipfile.ZipFile(os.path.join(out, "zip64-py.zip"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, (2026, 12, 1, 0, 0, 0))
            zi.compress_type = (zipfile.ZIP_STORED if name == "mimetype"
                                else zipfile.ZIP_DEFLATED)
            with z.open(zi, "w", force_zip64=True) as f:
                f.write(data)


if __name__ == "__main__":
    main()
