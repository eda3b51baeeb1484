"""A real headless LibreOffice with build/kpicalc.oxt installed, for tests.

Test tooling only (the product ships no Python). Creates a throwaway profile,
installs the extension into it through the office's own deployment API (as
kpicalc's batch does, batch/profile.c: no unopkg, which refuses root, so this
works as root without user namespaces and in any folder), starts soffice
listening on a private pipe and connects with Python-UNO.

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


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


# The one-off Basic module that installs the extension: ExtensionManager's
# addExtension into the profile's "user" repository, approving the office's
# questions (installation, licence) as unopkg --suppress-license does, and
# writing "ok" or the error into a status file. The same as batch/profile.c.
INSTALL_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub KpiInstall(oxt As String, status As String)
  Dim f As Integer, msg As String
  On Error Goto Failed
  env = CreateUnoListener(&quot;KpiEnv_&quot;, &quot;com.sun.star.ucb.XCommandEnvironment&quot;)
  em = GetDefaultContext().getValueByName(&quot;/singletons/com.sun.star.deployment.ExtensionManager&quot;)
  em.addExtension(oxt, Array(), &quot;user&quot;, Nothing, env)
  msg = &quot;ok&quot;
  Goto Report
Failed:
  msg = &quot;error &quot; &amp; Err &amp; &quot;: &quot; &amp; Error$
Report:
  f = FreeFile
  Open ConvertFromURL(status) For Output As #f
  Print #f, msg
  Close #f
End Sub
Function KpiEnv_getInteractionHandler()
  KpiEnv_getInteractionHandler = CreateUnoListener(&quot;KpiAsk_&quot;, &quot;com.sun.star.task.XInteractionHandler&quot;)
End Function
Function KpiEnv_getProgressHandler()
  KpiEnv_getProgressHandler = Nothing
End Function
Sub KpiAsk_handle(request)
  For Each c In request.getContinuations()
    If HasUnoInterfaces(c, &quot;com.sun.star.task.XInteractionApprove&quot;) Then
      c.select()
      Exit Sub
    End If
  Next
End Sub
</script:module>
"""


def install_extension(profile, oxt):
    """Installs OXT into PROFILE (started once before) through the office's
    deployment API; the profile's Basic module is restored after."""
    module = os.path.join(profile, "user", "basic", "Standard", "Module1.xba")
    status = os.path.join(profile, "kpicalc-install.status")
    with open(module, encoding="utf-8") as f:
        saved = f.read()
    with open(module, "w", encoding="utf-8") as f:
        f.write(INSTALL_MODULE)
    macro = 'macro:///Standard.Module1.KpiInstall("%s","%s")' % (
        uno.systemPathToFileUrl(os.path.abspath(oxt)),
        uno.systemPathToFileUrl(status))
    try:
        res = subprocess.run(
            [SOFFICE, "--headless", "--norestore", "--nologo", "--nodefault",
             "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
             macro], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, timeout=180)
    finally:
        with open(module, "w", encoding="utf-8") as f:
            f.write(saved)
    try:
        with open(status, encoding="utf-8", errors="replace") as f:
            said = " ".join(f.read().split())
        os.remove(status)
    except OSError:
        said = "no answer from the deployment API (exit status %d): %s" % (
            res.returncode, res.stdout)
    if said != "ok":
        raise RuntimeError("installing %s failed: %s" % (oxt, said))
    cache = os.path.join(profile, "user", "uno_packages", "cache",
                         "uno_packages")
    if not os.path.isdir(cache) or not os.listdir(cache):
        raise RuntimeError("installing %s reported success but it is not in "
                           "the profile" % oxt)


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
    url = uno.systemPathToFileUrl(root)
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
        install_extension(root, oxt)
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
