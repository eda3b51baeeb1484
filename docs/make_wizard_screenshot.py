#!/usr/bin/python3
"""Screenshots of Calc's Function Wizard showing a kpicalc function, in
English and in Chinese: a real LibreOffice window under Xvfb with
build/kpicalc.oxt installed in a throwaway profile.

Usage: docs/make_wizard_screenshot.py [build/kpicalc.oxt]
Writes docs/img/wizard-en-US.png and docs/img/wizard-zh-CN.png.
Needs Xvfb, xdotool and ImageMagick (import); a documentation tool, not a
test.
"""
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "calc"))
from office import make_profile  # noqa: E402


def xdo(env, *args):
    subprocess.run(["xdotool"] + list(args), env=env, check=False)


def shoot(oxt, locale, out, display=":97"):
    profile = make_profile(oxt, locale)
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x900x24"],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display, SAL_USE_VCLPLUGIN="gen")
    office = None
    try:
        time.sleep(1.5)
        office = subprocess.Popen(
            ["soffice", "--calc", "--norestore", "--nologo",
             "-env:UserInstallation=file://" + profile],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(12)
        xdo(env, "search", "--sync", "--onlyvisible", "--class",
            "libreoffice", "windowactivate")
        xdo(env, "key", "--clearmodifiers", "Escape")
        time.sleep(0.5)
        # Type the call in A1, then open the Function Wizard on it.
        xdo(env, "type", "--delay", "60", "=CERTRATE(31;34)")
        xdo(env, "key", "Return", "Up")
        time.sleep(1)
        xdo(env, "key", "ctrl+F2")
        time.sleep(4)
        subprocess.run(["import", "-window", "root", "-crop",
                        "1000x720+0+0", out], env=env, check=True)
    finally:
        if office:
            office.kill()
            office.wait()
        xvfb.kill()
        xvfb.wait()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv):
    oxt = argv[0] if argv else os.path.join(ROOT, "build", "kpicalc.oxt")
    os.makedirs(os.path.join(HERE, "img"), exist_ok=True)
    for locale in ("en-US", "zh-CN"):
        out = os.path.join(HERE, "img", "wizard-%s.png" % locale)
        shoot(oxt, locale, out)
        print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1:])
