"""A real headless LibreOffice with build/kpicalc.oxt installed, for tests.

Test tooling only (the product ships no Python). Creates a throwaway profile,
installs the extension with unopkg (as user nobody when run as root: unopkg
refuses root for a per-user install), starts soffice listening on a private
pipe and connects with Python-UNO.

    with Office(oxt, locale="en-US") as office:
        doc = office.new_calc()
"""
import os
import shutil
import subprocess
import tempfile
import time

import uno  # noqa: F401  (Debian's python3-uno, run with /usr/bin/python3)
from com.sun.star.beans import PropertyValue

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
UNOPKG = shutil.which("unopkg") or "/usr/bin/unopkg"


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _as_nobody(cmd, home):
    if os.geteuid() != 0:
        return cmd
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "env", "HOME=" + home] + cmd


LOCALE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="UILocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def make_profile(oxt, locale="en-US", install=True):
    """A new profile directory with the extension installed; returns it."""
    root = tempfile.mkdtemp(prefix="kpicalc-profile-")
    os.chmod(root, 0o777)
    url = "file://" + root
    subprocess.run([SOFFICE, "--headless", "--terminate_after_init",
                    "-env:UserInstallation=" + url], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    reg = os.path.join(root, "user", "registrymodifications.xcu")
    with open(reg, encoding="utf-8") as f:
        text = f.read()
    extra = LOCALE_XCU.format(locale=locale)
    items = extra[extra.index("<item"):extra.index("</oor:items>")]
    text = text.replace("</oor:items>", items + "</oor:items>")
    with open(reg, "w", encoding="utf-8") as f:
        f.write(text)
    if install:
        home = tempfile.mkdtemp(prefix="kpicalc-home-")
        copy = os.path.join(home, "kpicalc.oxt")
        shutil.copy(oxt, copy)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "65534:65534", root, home],
                           check=True)
        res = subprocess.run(
            _as_nobody([UNOPKG, "add", "--suppress-license",
                        "-env:UserInstallation=" + url, copy], home),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "0:0", root], check=True)
        shutil.rmtree(home, ignore_errors=True)
        if res.returncode != 0:
            raise RuntimeError("unopkg add failed: " + res.stdout)
    return root


class Office:
    def __init__(self, oxt, locale="en-US", install=True):
        self.profile = make_profile(oxt, locale, install)
        self.pipe = "kpicalc-test-%d-%d" % (os.getpid(), int(time.time() * 1e3))
        self.proc = None
        self.desktop = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [SOFFICE, "--headless", "--invisible", "--norestore",
             "--nologo", "--nodefault",
             "-env:UserInstallation=file://" + self.profile,
             "--accept=pipe,name=%s;urp;" % self.pipe],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.time() + 60
        while True:
            try:
                self.ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext"
                    % self.pipe)
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("soffice did not start")
                time.sleep(0.1)
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.ctx)
        return self

    def service(self, name):
        return self.smgr.createInstanceWithContext(name, self.ctx)

    def new_calc(self):
        return self.desktop.loadComponentFromURL(
            "private:factory/scalc", "_blank", 0, (prop("Hidden", True),))

    def load(self, path):
        return self.desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
            (prop("Hidden", True),))

    def __exit__(self, *exc):
        try:
            self.desktop.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
        return False
