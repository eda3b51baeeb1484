#!/usr/bin/env python3
"""Every message of the batch command that goes through kc_tr() has a
Chinese entry in batch/msg.c.

The messages are the string literals (adjacent literals joined, escapes
decoded) given as first argument to kc_tr(...) in batch/*.c, and to
usage_error(...) in batch/main.c (which translates its format itself). The
entries are the keys of msg.c's table. Prints the missing ones and exits 1
when there are any; keys no call site uses are listed as a note.

    tests/batch/check_messages.py [ROOT]
"""
import glob
import os
import re
import sys

LIT = re.compile(r'\s*"((?:[^"\\\n]|\\.)*)"', re.S)
ESC = {'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '"': '"', "'": "'",
       'a': '\a', '?': '?'}


def unescape(body):
    """The bytes of a C string literal's BODY, as text (UTF-8)."""
    out, i = bytearray(), 0
    raw = body.encode('utf-8')
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b'\\':
            out += c
            i += 1
            continue
        n = chr(raw[i + 1])
        if n == 'x':
            m = re.match(rb'[0-9a-fA-F]+', raw[i + 2:])
            out.append(int(m.group(0), 16) & 0xff)
            i += 2 + len(m.group(0))
        elif n in '01234567':
            m = re.match(rb'[0-7]{1,3}', raw[i + 1:])
            out.append(int(m.group(0), 8))
            i += 1 + len(m.group(0))
        else:
            out += ESC[n].encode()
            i += 2
    return out.decode('utf-8')


def strip_comments(src):
    # keeps string literals intact: a comment opener inside a literal is
    # rare in this code, and would only hide a message, not invent one
    out, i, n = [], 0, len(src)
    while i < n:
        if src[i] == '"':
            m = re.compile(r'"(?:[^"\\\n]|\\.)*"').match(src, i)
            out.append(m.group(0))
            i = m.end()
        elif src.startswith('/*', i):
            j = src.index('*/', i + 2) + 2
            out.append(' ' * (j - i))
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif src[i] == "'":
            m = re.compile(r"'(?:[^'\\\n]|\\.)*'").match(src, i)
            out.append(m.group(0))
            i = m.end()
        else:
            out.append(src[i])
            i += 1
    return ''.join(out)


def literal_at(src, pos):
    """(text, end) of the joined literals at SRC[POS:], or None."""
    parts = []
    while True:
        m = LIT.match(src, pos)
        if not m:
            break
        parts.append(m.group(1))
        pos = m.end()
    if not parts:
        return None
    return unescape(''.join(parts)), pos


def call_messages(path, func):
    src = strip_comments(open(path, encoding='utf-8').read())
    found = []
    for m in re.finditer(r'\b%s\s*\(' % func, src):
        r = literal_at(src, m.end())
        if r is None:
            continue  # not a literal: kc_tr(fmt) inside a helper
        text, end = r
        if src[end:].lstrip()[:1] in (',', ')'):
            found.append((path, src.count('\n', 0, m.start()) + 1, text))
    return found


def table_keys(msg_c):
    src = strip_comments(open(msg_c, encoding='utf-8').read())
    start = src.index('static const struct entry table[] = {')
    end = src.index('\n};', start)
    body = src[start:end]
    keys = []
    for m in re.finditer(r'\{', body):
        r = literal_at(body, m.end())
        if r:
            keys.append(r[0])
    return keys


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', '..')
    files = sorted(f for f in glob.glob(os.path.join(root, 'batch', '*.c'))
                   if os.path.basename(f) != 'msg.c')
    used = []
    for f in files:
        used += call_messages(f, 'kc_tr')
        if os.path.basename(f) == 'main.c':
            used += call_messages(f, 'usage_error')
    keys = set(table_keys(os.path.join(root, 'batch', 'msg.c')))
    # a text that is nothing but conversions ("%s") needs no translation
    words = re.compile(r'%[-+ #0-9.*]*[hlLqjzt]*[a-zA-Z]')
    missing = [(f, line, t) for f, line, t in used
               if t not in keys and re.search(r'[A-Za-z]', words.sub('', t))]
    for f, line, t in missing:
        print('no Chinese entry in batch/msg.c for %s:%d: %r'
              % (os.path.relpath(f, root), line, t))
    texts = {t for _, _, t in used}
    unused = sorted(k for k in keys if k not in texts)
    if unused:
        print('note: %d entries of batch/msg.c are not used by a kc_tr("...") '
              'call: %s' % (len(unused), '; '.join(repr(u[:40]) for u in unused)))
    print('messages: %d wrapped, %d without a Chinese entry'
          % (len(texts), len({t for _, _, t in missing})))
    return 1 if missing or not used else 0


if __name__ == '__main__':
    sys.exit(main())
