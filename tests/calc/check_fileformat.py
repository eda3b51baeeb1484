"""The file-format promise: how an add-in call is stored, and read back.

ODF stores a call by its programmatic name, service + "." + method, which
Calc writes in upper case (ORG.KPICALC.KPICALC.CERTRATE(31;34)) and reads in
any case: saved workbooks depend on it. XLSX keeps the same name and the
cached values. A workbook saved with the add-in reloads with the same results; a
hand-written flat ODS (.fods) with a stale cached result is recalculated on
load (the test profile sets ODFRecalcMode = always).
"""
import os
import re
import shutil
import tempfile
import zipfile

from office import prop

FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:body><office:spreadsheet><table:table table:name="Sheet1">
  <table:table-row>
   <table:table-cell table:formula="of:=org.kpicalc.KpiCalc.CERTRATE(31;34)" office:value-type="float" office:value="0.5"><text:p>0.5</text:p></table:table-cell>
   <table:table-cell table:formula="of:=org.kpicalc.KpiCalc.LOSSRATE(1;8;0;4)" office:value-type="float" office:value="0.5"><text:p>0.5</text:p></table:table-cell>
  </table:table-row>
 </table:table></office:spreadsheet></office:body>
</office:document>
"""


def run(office, report, oxt):
    tmp = tempfile.mkdtemp(prefix="kpicalc-ff-")
    try:
        doc = office.new_calc()
        sheet = doc.Sheets.getByIndex(0)
        sheet.getCellByPosition(0, 0).setFormula("=CERTRATE(31;34)")
        sheet.getCellByPosition(1, 0).setFormula("=LOSSRATE(1;8;0;4)")
        sheet.getCellByPosition(2, 0).setFormula("=YOY(12;9)")
        doc.calculateAll()
        ods = os.path.join(tmp, "saved.ods")
        xlsx = os.path.join(tmp, "saved.xlsx")
        import uno
        doc.storeToURL(uno.systemPathToFileUrl(ods), ())
        doc.storeToURL(uno.systemPathToFileUrl(xlsx),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)

        with zipfile.ZipFile(ods) as z:
            content = z.read("content.xml").decode("utf-8")
        report.check(
            'table:formula="of:=ORG.KPICALC.KPICALC.CERTRATE(31;34)"'
            in content, "ODF stores ORG.KPICALC.KPICALC.CERTRATE(31;34)")
        report.check(re.search(
            r'of:=ORG\.KPICALC\.KPICALC\.CERTRATE\(31;34\)"[^>]*'
            r'office:value="0\.91176470588235', content) is not None,
            "ODF caches the computed value 0.9117647...")
        with zipfile.ZipFile(xlsx) as z:
            sheet_xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        # LibreOffice 7.4 writes the programmatic name; 25.2 the function's
        # compatibility name (read back as the same add-in call by both)
        report.check(re.search(r"<f[^>]*>(ORG\.KPICALC\.KPICALC\.)?CERTRATE"
                               r"\(31,34\)</f>", sheet_xml) is not None,
                     "XLSX stores the formula by its programmatic or "
                     "compatibility name")
        report.check(re.search(r"<v>0\.91176470588235\d*</v>", sheet_xml)
                     is not None, "XLSX caches the value")

        doc = office.load(ods)
        cell = doc.Sheets.getByIndex(0).getCellByPosition(0, 0)
        report.check(abs(cell.getValue() - 31 / 34) < 1e-14 and
                     cell.getError() == 0, "reloaded .ods computes 31/34")
        report.check(cell.getFormula() == "=ORG.KPICALC.KPICALC.CERTRATE(31;34)"
                     or "CERTRATE" in cell.getFormula(),
                     "reloaded .ods keeps the add-in call")
        doc.close(True)

        doc = office.load(xlsx)
        cell = doc.Sheets.getByIndex(0).getCellByPosition(0, 0)
        doc.calculateAll()
        report.check(abs(cell.getValue() - 31 / 34) < 1e-14 and
                     cell.getError() == 0,
                     "reloaded .xlsx maps CERTRATE back to the add-in")
        doc.close(True)

        fods = os.path.join(tmp, "stale.fods")
        with open(fods, "w", encoding="utf-8") as f:
            f.write(FODS)
        doc = office.load(fods)
        sheet = doc.Sheets.getByIndex(0)
        a, b = sheet.getCellByPosition(0, 0), sheet.getCellByPosition(1, 0)
        report.check(abs(a.getValue() - 31 / 34) < 1e-14,
                     "stale cached 0.5 replaced by 31/34 on load (got %r)"
                     % a.getValue())
        report.check(abs(b.getValue() - 1 / 12) < 1e-14,
                     "stale cached LOSSRATE replaced on load (got %r)"
                     % b.getValue())
        doc.close(True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
