"""What the Function Wizard shows: the descriptions Calc itself serves.

Reads com.sun.star.sheet.FunctionDescriptions (the service behind the
Function Wizard) in an English office and in a Chinese (zh-CN) one, and
checks every function of the catalogue: its name, its description and each
argument's name, description and optional flag, against the catalogue's own
text (read from the CalcAddIns.xcu beside the .oxt under test, which kpi-gen
writes from it), and that an optional argument's help ends with the default
kpi-gen writes from the catalogue's row.
"""
import os
import subprocess
import xml.etree.ElementTree as ET

from office import Office

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OOR = "{http://openoffice.org/2001/registry}"
# the build folder of the .oxt under test (kpi-gen, CalcAddIns.xcu); run()
# sets it
BUILD = os.path.join(ROOT, "build")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def catalogue_names():
    out = subprocess.run([os.path.join(BUILD, "kpi-gen"), "list"],
                         check=True, stdout=subprocess.PIPE, text=True)
    return out.stdout.split()


def localized(prop, lang):
    for v in prop.findall("value"):
        if v.get(XML_LANG) == lang:
            return v.text or ""
    return None


def xcu_functions(lang):
    """{name: (description, [(arg name, arg description), ...])}"""
    tree = ET.parse(os.path.join(BUILD, "CalcAddIns.xcu"))
    funcs = {}
    for fn in tree.getroot().iter("node"):
        props = {p.get(OOR + "name"): p for p in fn.findall("prop")}
        if "Category" not in props:
            continue
        args = []
        params = [n for n in fn.findall("node")
                  if n.get(OOR + "name") == "Parameters"]
        for p in (params[0].findall("node") if params else []):
            pp = {q.get(OOR + "name"): q for q in p.findall("prop")}
            args.append((localized(pp["DisplayName"], lang),
                         localized(pp["Description"], lang)))
        funcs[fn.get(OOR + "name")] = (
            localized(props["Description"], lang), args)
    return funcs


def served(office):
    """{name: {Description, Arguments: [(Name, Description, IsOptional)]}}"""
    descs = office.service("com.sun.star.sheet.FunctionDescriptions")
    out = {}
    for i in range(descs.getCount()):
        d = {p.Name: p.Value for p in descs.getByIndex(i)}
        out[d["Name"]] = {
            "Description": d.get("Description", ""),
            "Arguments": [(a.Name, a.Description, a.IsOptional)
                          for a in (d.get("Arguments") or ())],
        }
    return out


def check_language(office, lang, report):
    names = catalogue_names()
    report.check(len(names) >= 6, "catalogue lists functions")
    want = xcu_functions(lang)
    got = served(office)
    for name in names:
        where = "wizard[%s] %s" % (lang, name)
        if not report.check(name in got, where + ": listed"):
            continue
        desc, args = want[name]
        report.check(got[name]["Description"] == desc,
                     "%s: description %r != %r" % (
                         where, got[name]["Description"], desc))
        served_args = [(n, d) for n, d, _ in got[name]["Arguments"]]
        report.check(served_args == args, "%s: arguments %r != %r" % (
            where, served_args, args))
    return got


def default_shown(got, lang, report):
    """RATECI's confidence and method say their defaults, written by kpi-gen
    from the catalogue's row (the row's own help never states one)."""
    args = got.get("RATECI", {"Arguments": []})["Arguments"]
    descs = [d for _, d, _ in args]
    want = (["Default: 0.95.", 'Default: "wilson".'] if lang == "en-US"
            else ["默认：0.95。", '默认："wilson"。'])
    report.check(len(descs) == 4 and descs[2].endswith(want[0])
                 and descs[3].endswith(want[1]),
                 "wizard[%s] RATECI shows the defaults: %r" % (lang, descs))


def run(office, report, oxt):
    global BUILD
    BUILD = os.path.dirname(os.path.abspath(oxt))
    # English: the office the other tests use.
    got = check_language(office, "en-US", report)
    default_shown(got, "en-US", report)
    cert = got.get("CERTRATE", {"Arguments": []})
    report.check([a[0] for a in cert["Arguments"]] == ["certified",
                                                       "required"],
                 "wizard[en-US] CERTRATE argument names")
    # Optional arguments are marked so in the wizard.
    rateci = got.get("DOUBLEDECLINE", {"Arguments": []})
    report.check([a[2] for a in rateci["Arguments"]][-1:] == [True],
                 "wizard[en-US] DOUBLEDECLINE zero_holds is optional")
    # Chinese: a second office whose user interface is zh-CN.
    with Office(oxt, locale="zh-CN") as zh:
        got = check_language(zh, "zh-CN", report)
        default_shown(got, "zh-CN", report)
        cert = got.get("CERTRATE", {"Description": ""})
        report.check("持证率" in cert["Description"],
                     "wizard[zh-CN] CERTRATE description is Chinese")
