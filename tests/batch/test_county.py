#!/usr/bin/python3
"""The county summary workbook (`kpicalc recalc --summary FILE.ods|.xlsx`,
docs/county.md), read back with readers that are not LibreOffice: the .ods
with zipfile + xml.etree, the .xlsx with openpyxl.

Groups:
  fixtures  generated township workbooks with every key the summary needs
            (*_num/*_den, last year's counts, inputs_filled), one of 2021,
            one empty, one damaged: values equal the workbooks' KPI sheets,
            ranks (ties shared, direction by target), 达标 marks, pooled
            totals = sum of numerators / sum of denominators, 双下降 reasons
            under the 0->0 rule (both settings, through --targets), mixed
            years, the empty and the failed workbook flagged, two charts
            with the county rate, four limits and one labelled series per
            township, a legend naming 乡镇, the county rate, the 95% and the
            99.8% limits (the upper limits and the label series left out),
            labels only outside the 95% limits; the summary prints on one
            A4 landscape page (PDF by soffice, read by pdfinfo/pdftotext);
            the .xlsx has no add-in call, the same values and two charts
            with the same series and legend
  old       workbooks of a template without adviser_rate_num/_den: the
            rate is shown, its county total is "—", the keys are named in
            the warnings, the run succeeds
  samples   samples/: the summary's values equal each output workbook's KPI
            sheet; pooled 持证率 and 法律顾问参与率 = sum of the numerators /
            sum of the denominators of the townships' own KPI sheets; what
            the template lacks is named
  usage     --summary x.txt and a bad --targets file: exit 2, nothing written

Usage: test_county.py [-k GROUP] ; KPICALC=path/to/kpicalc (default
build/kpicalc), KPICALC_PROFILE_DIR (optional --profile-dir).
Ends with "N passed, N failed"; exits 1 on any failure."""
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import xml.etree.ElementTree as ET
import zipfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KPICALC = os.path.abspath(os.environ.get('KPICALC') or
                          os.path.join(ROOT, 'build', 'kpicalc'))
PROFILE = os.environ.get('KPICALC_PROFILE_DIR')

NS = {
    'table': 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
    'office': 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
    'text': 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
    'chart': 'urn:oasis:names:tc:opendocument:xmlns:chart:1.0',
}
T = '{%s}' % NS['table']
O = '{%s}' % NS['office']

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print('FAIL: %s' % what)


def kpicalc(*args, env=None):
    cmd = [KPICALC, 'recalc', '-q', '-j', '2'] + list(args)
    if PROFILE:
        cmd[2:2] = ['--profile-dir', PROFILE]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=900, env=dict(os.environ, **(env or {})))
    return p.returncode, p.stderr.decode('utf-8', 'replace')


# --- fixtures: flat ODF workbooks with a KPI sheet -------------------------

def esc(s):
    return (str(s).replace('&', '&amp;').replace('<', '&lt;')
            .replace('>', '&gt;').replace('"', '&quot;'))


def fods(kpis):
    """A workbook whose KPI sheet holds KPIS: (key, value) pairs; a value
    None is an error (=NA())."""
    rows = ['<table:table-row><table:table-cell office:value-type="string">'
            '<text:p>key</text:p></table:table-cell><table:table-cell '
            'office:value-type="string"><text:p>value</text:p>'
            '</table:table-cell></table:table-row>']
    for k, v in kpis:
        if v is None:
            cell = '<table:table-cell table:formula="of:=NA()"/>'
        elif isinstance(v, str):
            cell = ('<table:table-cell office:value-type="string"><text:p>%s'
                    '</text:p></table:table-cell>' % esc(v))
        else:
            cell = ('<table:table-cell office:value-type="float" '
                    'office:value="%r"/>' % v)
        rows.append('<table:table-row><table:table-cell office:value-type='
                    '"string"><text:p>%s</text:p></table:table-cell>%s'
                    '</table:table-row>' % (k, cell))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document '
            'xmlns:office="%s" xmlns:table="%s" xmlns:text="%s" '
            'office:version="1.3" office:mimetype="application/vnd.oasis.'
            'opendocument.spreadsheet"><office:body><office:spreadsheet>'
            '<table:table table:name="Input"><table:table-row><table:table-'
            'cell office:value-type="float" office:value="1"/></table:table-'
            'row></table:table><table:table table:name="KPI">%s</table:table>'
            '</office:spreadsheet></office:body></office:document>\n'
            % (NS['office'], NS['table'], NS['text'], ''.join(rows)))


# unit, year, cert x/n, loss x/n, last year's loss x/n, disputes, last year's
TOWNS = [
    ('甲乡', 2020, 18, 20, 0, 4, 1, 5, 3, 5),    # 0.9; 双下降
    ('乙镇', 2020, 27, 30, 0, 6, 0, 3, 2, 4),    # 0.9 (a tie); 0 -> 0
    ('丙乡', 2020, 40, 40, 2, 10, 1, 10, 9, 7),  # 1.0; disputes up
    ('丁镇', 2020, 30, 40, 3, 12, 1, 10, 4, 6),  # 0.75; loss rate up
    ('戊乡', 2021, 19, 20, 1, 8, 1, 8, 2, 3),    # 0.95; 2021; 败诉率未下降
]


# 法律顾问参与联审数 / 合法性审查事项数 by unit
ADVISER = {'甲乡': (7, 8), '乙镇': (3, 12), '丙乡': (20, 20), '丁镇': (0, 5),
           '戊乡': (9, 10)}


def town_kpis(t, old=False):
    """The KPI sheet of township T; OLD: a template without the adviser
    share's numerator and denominator keys."""
    unit, year, cx, cn, lx, ln, px, pn, d, dp = t
    ax, an = ADVISER[unit]
    adv = [('adviser_rate', ax / an)]
    if not old:
        adv += [('adviser_rate_num', ax), ('adviser_rate_den', an)]
    return [('year', year), ('unit', unit), ('certrate', cx / cn),
            ('certrate_num', cx), ('certrate_den', cn)] + adv + [
            ('adoptrate', 0.92), ('lossrate', lx / ln),
            ('lossrate_num', lx), ('lossrate_den', ln),
            ('lossrate_prev_num', px), ('lossrate_prev_den', pn),
            ('disputes', d), ('disputes_prev', dp), ('lost_cases', lx),
            ('doubledecline', 0), ('inputs_filled', 30)]


def make_fixtures(d, old=False):
    os.makedirs(d)
    for i, t in enumerate(TOWNS):
        with open(os.path.join(d, 't%d.fods' % i), 'w') as f:
            f.write(fods(town_kpis(t, old)))
    if old:
        return
    with open(os.path.join(d, 't5-empty.fods'), 'w') as f:
        f.write(fods([('year', 2020), ('unit', '己乡'), ('certrate', None),
                      ('lossrate', None), ('inputs_filled', 0)]))
    with open(os.path.join(d, 't6-broken.ods'), 'wb') as f:
        f.write(b'PK\x03\x04 this is no archive')


# --- reading the .ods -------------------------------------------------------

def ods_sheets(path):
    """{sheet: [[cell value]]}: a float for a number, else the text."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read('content.xml'))
    out = {}
    for tab in root.iter(T + 'table'):
        rows = []
        for row in tab.iter(T + 'table-row'):
            cells = []
            for c in row:
                if c.tag not in (T + 'table-cell', T + 'covered-table-cell'):
                    continue
                rep = int(c.get(T + 'number-columns-repeated', '1'))
                if c.get(O + 'value') is not None:
                    v = float(c.get(O + 'value'))
                else:
                    v = '\n'.join(''.join(p.itertext()) for p in
                                  c.findall('{%s}p' % NS['text']))
                cells.extend([v] * min(rep, 64))
            rep = int(row.get(T + 'number-rows-repeated', '1'))
            rows.extend([cells] * min(rep, 64))
        out[tab.get(T + 'name')] = rows
    return out


def ods_charts(path):
    """[number of series] of the embedded charts."""
    return [len(c['series']) for c in ods_chart_parts(path)]


LOEXT = 'urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0'


def ods_chart_parts(path):
    """[{'legend': bool, 'series': [(label cell address, in the legend)]}]
    of the embedded charts, from each chart's own content.xml."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if re.match(r'Object \d+/content\.xml$', name):
                root = ET.fromstring(z.read(name))
                ser = [(e.get('{%s}label-cell-address' % NS['chart'], ''),
                        e.get('{%s}hide-legend' % LOEXT) != 'true')
                       for e in root.iter('{%s}series' % NS['chart'])]
                legend = root.find('.//{%s}legend' % NS['chart'])
                out.append({'legend': legend is not None, 'series': ser})
    return out


def cell_at(sheets, address):
    """The value of the cell a chart names: "漏斗图.B13:漏斗图.B13" or
    "'漏斗图'.$B$13"."""
    m = re.match(r"'?([^'.]+)'?\.\$?([A-Z]+)\$?(\d+)", address)
    if not m:
        return None
    col = 0
    for ch in m.group(2):
        col = col * 26 + ord(ch) - 64
    rows = sheets.get(m.group(1), [])
    r = int(m.group(3)) - 1
    return rows[r][col - 1] if r < len(rows) and col - 1 < len(rows[r]) \
        else ''


LEGEND = ['乡镇 Townships', '全县率 County rate', '95% 控制限 limits',
          '99.8% 控制限 limits']


def check_legend(path, sheets, n):
    """Both charts: a legend of the four LEGEND names (in that order), and
    one label series per township (N) out of the legend, each named by the
    township only when its point is outside the 95% limits."""
    charts = ods_chart_parts(path)
    check(len(charts) == 2, 'two charts')
    fun = sheets.get('漏斗图', [])
    for i, c in enumerate(charts):
        check(c['legend'], 'chart %d has a legend' % i)
        names = [cell_at(sheets, a) for a, shown in c['series'] if shown]
        check(names == LEGEND, 'chart %d legend %r' % (i, names))
        labels = [a for a, shown in c['series'] if not shown and
                  re.search(r'\.\$?K\$?\d+', a)]
        check(len(labels) == n, 'chart %d: %d label series (%d)'
              % (i, n, len(labels)))
        named = 0
        for a in labels:
            r = int(re.search(r'(\d+)$', a).group(1)) - 1
            row = fun[r] if r < len(fun) else []
            unit, pos = (row[0], row[9]) if len(row) > 10 else ('', '')
            want = unit if len(row) > 10 and isinstance(row[3], float) and \
                pos != '控制限内' else ' '
            # a lone space reads back as '' (<text:s/>)
            got = row[10].strip() if len(row) > 10 else None
            check(got == want.strip(), 'chart %d label of %s at %s: %r (%s)'
                  % (i, unit, pos, got, a))
            named += bool(got)
        if i == 0:  # 持证率: 丙乡 and 丁镇 lie outside the 95% limits
            check(named == 2, 'chart 0: 2 of %d points named (%d)'
                  % (n, named))


def check_one_page(path, tmp):
    """The summary sheet prints on page 1, A4 landscape, whole: its title,
    every township, the county row and the warnings on that page."""
    pdfdir = os.path.join(tmp, 'pdf')
    prof = os.path.join(tmp, 'soffice-profile')
    subprocess.run([shutil.which('soffice') or '/usr/bin/soffice',
                    '--headless', '--norestore',
                    '-env:UserInstallation=file://' + prof, '--convert-to',
                    'pdf', '--outdir', pdfdir, path],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=600)
    pdf = os.path.join(pdfdir, os.path.basename(path)[:-4] + '.pdf')
    if not os.path.exists(pdf):
        check(False, 'PDF of %s' % path)
        return
    info = subprocess.run(['pdfinfo', '-f', '1', '-l', '1', pdf],
                          stdout=subprocess.PIPE).stdout.decode()
    m = re.search(r'Page\s+1 size:\s+([\d.]+) x ([\d.]+)', info)
    check(m and abs(float(m.group(1)) - 841.89) < 1 and
          abs(float(m.group(2)) - 595.28) < 1,
          'page 1 is A4 landscape: %r' % (m and m.group(0)))

    def page(k):
        return subprocess.run(['pdftotext', '-f', str(k), '-l', str(k), pdf,
                               '-'], stdout=subprocess.PIPE).stdout.decode()
    p1, p2 = page(1), page(2)
    want = ['各乡镇行政执法指标汇总', '全县 County (pooled)', '注意 Warnings',
            '法律顾问参与率', '双下降理由'] + [t[0] for t in TOWNS]
    missing = [w for w in want if w not in p1]
    check(not missing, 'page 1 holds the whole summary (missing %r)'
          % missing)
    check('全县 County' not in p2 and '漏斗图' in p2,
          'page 2 is the funnel sheet, nothing of the summary: %r' % p2[:80])


def table_rows(summary):
    """The township rows of the summary sheet (below the two header rows,
    up to the county row) as dicts by Chinese header."""
    head, last = [], ''
    for h in summary[2]:  # 达标 and 排名 named after their rate: 持证率.达标
        last = h if h not in ('达标', '排名') else last
        head.append(h if h not in ('达标', '排名') else last + '.' + h)
    rows = []
    for r in summary[4:]:
        if r and isinstance(r[0], str) and r[0].startswith('全县'):
            return rows, dict(zip(head, r))
        rows.append(dict(zip(head, r)))
    raise AssertionError('no county row')


def near(a, b):
    return isinstance(a, float) and abs(a - b) < 1e-12


def check_fixture_summary(s, zero_holds, cert_target=0.95):
    rows, county = table_rows(s['汇总'])
    by = {r['单位']: r for r in rows}
    for t in TOWNS:
        unit, year, cx, cn, lx, ln = t[:6]
        r = by.get(unit)
        check(r is not None, 'row of %s' % unit)
        if not r:
            continue
        check(r['年度'] == float(year), '%s year' % unit)
        check(near(r['持证率'], cx / cn), '%s 持证率 %r' % (unit, r['持证率']))
        check(near(r['败诉率'], lx / ln), '%s 败诉率' % unit)
        check(r['持证率.达标'] == ('达标' if cx / cn >= cert_target else '未达标'),
              '%s 持证率 mark %r' % (unit, r['持证率.达标']))
        check(r['败诉率.达标'] == ('达标' if lx / ln <= 0.10 else '未达标'),
              '%s 败诉率 mark %r' % (unit, r['败诉率.达标']))
    # ranks: 持证率 high first, ties shared; 败诉率 low first
    ranks = {u: by[u]['持证率.排名'] for u in by if u in [t[0] for t in TOWNS]}
    check(ranks == {'丙乡': 1.0, '戊乡': 2.0, '甲乡': 3.0, '乙镇': 3.0,
                    '丁镇': 5.0}, '持证率 ranks %r' % ranks)
    lrank = {u: by[u]['败诉率.排名'] for u in by}
    check(lrank.get('甲乡') == 1.0 and lrank.get('乙镇') == 1.0 and
          lrank.get('戊乡') == 3.0 and lrank.get('丙乡') == 4.0 and
          lrank.get('丁镇') == 5.0, '败诉率 ranks %r' % lrank)
    # pooled totals: sums over the usable workbooks
    cx = sum(t[2] for t in TOWNS)
    cn = sum(t[3] for t in TOWNS)
    lx = sum(t[4] for t in TOWNS)
    ln = sum(t[5] for t in TOWNS)
    check(near(county['持证率'], cx / cn),
          'pooled 持证率 %r != %r' % (county['持证率'], cx / cn))
    check(near(county['败诉率'], lx / ln), 'pooled 败诉率 %r' % county['败诉率'])
    ax = sum(ADVISER[t[0]][0] for t in TOWNS)
    an = sum(ADVISER[t[0]][1] for t in TOWNS)
    check(near(county['法律顾问参与率'], ax / an),
          'pooled 法律顾问参与率 %r != %r' % (county['法律顾问参与率'], ax / an))
    amean = sum(x / n for x, n in ADVISER.values()) / len(ADVISER)
    check(not near(county['法律顾问参与率'], amean),
          'pooled 法律顾问参与率 is not the mean')
    for t in TOWNS:
        x, n = ADVISER[t[0]]
        check(near(by[t[0]]['法律顾问参与率'], x / n),
              '%s 法律顾问参与率 %r' % (t[0], by[t[0]]['法律顾问参与率']))
    mean = sum(t[2] / t[3] for t in TOWNS) / len(TOWNS)
    check(not near(county['持证率'], mean), 'pooled is not the mean')
    check(county['行政争议发案量'] == float(sum(t[8] for t in TOWNS)),
          'disputes summed')
    # 双下降 under the county's rule
    reason = {u: by[u]['双下降理由'] for u in by}
    check(reason.get('甲乡') == '双下降', '甲乡 %r' % reason.get('甲乡'))
    check(reason.get('丙乡') == '发案量上升', '丙乡 %r' % reason.get('丙乡'))
    check(reason.get('丁镇') == '败诉率上升', '丁镇 %r' % reason.get('丁镇'))
    check(reason.get('戊乡') == '败诉率未下降', '戊乡 %r' % reason.get('戊乡'))
    want = ('败诉率持平(0→0，按规则计为下降)' if zero_holds
            else '败诉率持平(0→0，按规则不计为下降)')
    check(reason.get('乙镇') == want, '乙镇 %r' % reason.get('乙镇'))
    check(by['乙镇']['双下降'] == ('是' if zero_holds else '否'), '乙镇 双下降')
    # flags
    text = '\n'.join(str(c) for r in s['汇总'] for c in r)
    check('年度不一致' in text and '戊乡（2021）' in text, 'mixed years')
    check('空白工作簿 Empty workbooks (1' in text and '己乡' in text,
          'empty workbook flagged')
    check('处理失败 Failed workbooks (1)' in text and 't6-broken.ods' in text,
          'failed workbook flagged')
    check(by.get('己乡', {}).get('持证率.排名') in ('', None),
          'the empty workbook is not ranked')
    check(by.get('己乡', {}).get('备注', '').startswith('空白工作簿'),
          'empty note')


def group_fixtures(tmp):
    ins = os.path.join(tmp, 'in')
    make_fixtures(ins)
    out = os.path.join(tmp, 'out')
    trace = os.path.join(tmp, 'trace')
    rc, err = kpicalc(ins, '-o', out, '--summary',
                      os.path.join(out, 'county.ods'),
                      env={'KPICALC_TRACE': trace})
    check(rc == 1, 'one workbook fails: exit 1 (got %d: %s)' % (rc, err))
    path = os.path.join(out, 'county.ods')
    check(os.path.exists(path), 'county.ods written')
    if not os.path.exists(path):
        return
    s = ods_sheets(path)
    check(set(s) >= {'汇总', '漏斗图', '目标', '数据'}, 'sheets %r' % list(s))
    check_fixture_summary(s, True)
    with zipfile.ZipFile(path) as z:
        content = z.read('content.xml').decode()
    check('ORG.KPICALC' not in content.upper(), 'no add-in call in the .ods')
    n = len(TOWNS) + 2  # every workbook has its row and label series
    # series: 乡镇 (all points), county rate, 4 limits, a label one per row
    charts = ods_charts(path)
    check(charts == [n + 6, n + 6], 'two charts of %d series: %r'
          % (n + 6, charts))
    check_legend(path, s, n)
    check('adviser_rate_num' not in '\n'.join(
        str(c) for r in s['汇总'] for c in r), 'no missing adviser keys')
    check_one_page(path, tmp)
    # the add-in's cells were frozen in the loaded document (no export and
    # second load); through LibreOfficeKit, which has no model to change,
    # by the export: the same sheets either way
    with open(trace) as f:
        ways = [ln.split('\t')[0] for ln in f if 'county.fods' in ln]
    check(ways.count('freeze-model') == 1 and 'freeze-export' not in ways,
          'county workbook frozen in the model: %r' % ways)
    lok = os.path.join(tmp, 'lok.ods')
    trace2 = os.path.join(tmp, 'trace2')
    kpicalc(ins, '--summary', lok,
            env={'KPICALC_LOADER': 'lok', 'KPICALC_TRACE': trace2})
    with open(trace2) as f:
        ways = [ln.split('\t')[0] for ln in f if 'county.fods' in ln]
    check('freeze-export' in ways and 'freeze-model' not in ways,
          'through LibreOfficeKit: frozen by the export: %r' % ways)
    if os.path.exists(lok):
        with zipfile.ZipFile(lok) as z:
            check('ORG.KPICALC' not in z.read('content.xml').decode().upper(),
                  'through LibreOfficeKit: no add-in call in the .ods')
        s3 = ods_sheets(lok)
        for name in ('汇总', '漏斗图'):
            same = [[c for c in r] for r in s3[name]] == \
                [[c for c in r] for r in s[name]]
            check(same, 'through LibreOfficeKit: sheet %s the same' % name)
    else:
        check(False, 'through LibreOfficeKit: %s written' % lok)
    # the values equal each workbook's KPI sheet (the .ods outputs)
    data = s['数据']
    head = data[0]
    for r in data[1:]:
        if r[1] != 'ok' or not r[0].endswith('.fods') or 'empty' in r[0]:
            continue
        outp = os.path.join(out, os.path.basename(r[0])[:-5] + '.ods')
        kpi = {row[0]: row[1] for row in ods_sheets(outp)['KPI'][1:]
               if len(row) > 1}
        for k in ('certrate', 'lossrate', 'certrate_num', 'disputes'):
            check(r[head.index(k)] == kpi[k], '%s %s' % (r[0], k))
    # the 0 -> 0 rule and a target from a targets file
    tgt = os.path.join(tmp, 'targets.txt')
    with open(tgt, 'w') as f:
        f.write('# county targets\ncertrate>=90%\nzero_to_zero=not_down\n')
    rc, err = kpicalc(ins, '--summary', os.path.join(tmp, 'c2.xlsx'),
                      '--targets', tgt)
    x = os.path.join(tmp, 'c2.xlsx')
    check(os.path.exists(x), 'county.xlsx written (%s)' % err)
    if not os.path.exists(x):
        return
    with zipfile.ZipFile(x) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    check(not any(b'ORG.KPICALC' in v.upper() for v in parts.values()),
          'no add-in call anywhere in the .xlsx')
    charts = sorted(n for n in parts if re.match(r'xl/charts/chart\d+\.xml$',
                                                  n))
    check(len(charts) == 2, 'two charts in the .xlsx: %r' % charts)
    for c in charts:
        check(parts[c].count(b'<c:ser>') == n + 6, '%s series' % c)
        # the legend: every series but the 4 named ones deleted from it
        leg = re.search(rb'<c:legend>.*?</c:legend>', parts[c], re.S)
        deleted = len(re.findall(rb'<c:legendEntry><c:idx val="\d+"/>'
                                 rb'<c:delete val="1"/>', leg.group(0))) \
            if leg else -1
        check(deleted == n + 6 - 4, '%s: a legend of 4 entries (%d of %d '
              'deleted)' % (c, deleted, n + 6))
    import openpyxl
    wb = openpyxl.load_workbook(x, data_only=True)
    check(wb.sheetnames[:2] == ['汇总', '漏斗图'], 'xlsx sheets')
    ws = wb['汇总']
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    s2 = {'汇总': [[float(v) if isinstance(v, (int, float)) else
                  ('' if v is None else v) for v in r] for r in rows]}
    check_fixture_summary(s2, False, 0.90)
    rows2, _ = table_rows(s2['汇总'])
    jia = [r for r in rows2 if r['单位'] == '甲乡'][0]
    check(jia['持证率.达标'] == '达标', 'target 90% from the file: 0.9 达标')
    tg = [[c.value for c in r] for r in wb['目标'].iter_rows()]
    check(any(r[1] == 'certrate' and r[3] == 0.9 for r in tg),
          'targets sheet: certrate 0.9')


def group_old(tmp):
    """An older template: adviser_rate without its numerator and
    denominator keys."""
    ins = os.path.join(tmp, 'in')
    make_fixtures(ins, old=True)
    path = os.path.join(tmp, 'county.ods')
    rc, err = kpicalc(ins, '--summary', path)
    check(rc == 0, 'old template: exit 0 (%d: %s)' % (rc, err))
    if not os.path.exists(path):
        check(False, 'old template: county.ods written')
        return
    s = ods_sheets(path)
    rows, county = table_rows(s['汇总'])
    by = {r['单位']: r for r in rows}
    for t in TOWNS:
        x, n = ADVISER[t[0]]
        check(near(by.get(t[0], {}).get('法律顾问参与率'), x / n),
              'old template: %s 法律顾问参与率 shown' % t[0])
    check(county['法律顾问参与率'] == '—',
          'old template: no pooled 法律顾问参与率: %r' % county['法律顾问参与率'])
    check(near(county['持证率'], sum(t[2] for t in TOWNS) /
               sum(t[3] for t in TOWNS)), 'old template: 持证率 still pooled')
    text = '\n'.join(str(c) for r in s['汇总'] for c in r)
    check('缺少指标键' in text and 'adviser_rate_num, adviser_rate_den' in text,
          'old template: the missing keys are named')


def group_samples(tmp):
    out = os.path.join(tmp, 'sout')
    rc, err = kpicalc(os.path.join(ROOT, 'samples'), '-o', out, '--summary',
                      os.path.join(out, 'county.ods'))
    check(rc == 0, 'samples: exit 0 (%d: %s)' % (rc, err))
    path = os.path.join(out, 'county.ods')
    if not os.path.exists(path):
        check(False, 'samples: county.ods written')
        return
    s = ods_sheets(path)
    rows, county = table_rows(s['汇总'])
    check(len(rows) == 13, 'samples: 13 rows (%d)' % len(rows))
    data = s['数据']
    head = data[0]
    for r in data[1:]:
        outp = os.path.join(out, os.path.relpath(r[0], os.path.join(
            ROOT, 'samples')) if os.path.isabs(r[0]) else
            r[0].split('samples/', 1)[1])
        kpi = {row[0]: row[1] for row in ods_sheets(outp)['KPI'][1:]
               if len(row) > 1 and row[0]}
        for k in ('certrate', 'adoptrate', 'lossrate', 'disputes', 'year'):
            if k in head:
                want = kpi.get(k)
                got = r[head.index(k)] if head.index(k) < len(r) else ''
                ok = (got == want) if isinstance(want, float) else got == ''
                check(ok, 'samples: %s %s %r vs KPI sheet %r'
                      % (r[0], k, got, want))
        row = [x for x in rows if x['单位'] == kpi.get('unit')]
        check(len(row) == 1, 'samples: a row for %s' % kpi.get('unit'))
        if row and isinstance(kpi.get('certrate'), float):
            check(near(row[0]['持证率'], kpi['certrate']),
                  'samples: %s 持证率' % kpi.get('unit'))
    # pooled rates = sums over the townships' own KPI sheets
    for key, zh in (('certrate', '持证率'), ('adviser_rate', '法律顾问参与率')):
        nx = dx = 0.0
        for r in data[1:]:
            outp = os.path.join(out, r[0].split('samples/', 1)[1]
                                if 'samples/' in r[0] else r[0])
            kpi = {row[0]: row[1] for row in ods_sheets(outp)['KPI'][1:]
                   if len(row) > 1 and row[0]}
            x, n = kpi.get(key + '_num'), kpi.get(key + '_den')
            if isinstance(x, float) and isinstance(n, float) and \
                    kpi.get('inputs_filled'):
                nx, dx = nx + x, dx + n
        check(dx > 0 and near(county[zh], nx / dx),
              'samples: pooled %s %r = %g/%g' % (zh, county[zh], nx, dx))
    text = '\n'.join(str(c) for r in s['汇总'] for c in r)
    check('adviser_rate_num' not in text,
          'samples: the template has adviser_rate_num/_den')
    if 'certrate_num' not in head:
        check('缺少指标键' in text and 'certrate_num' in text,
              'samples: the missing keys are named')
    check(len(ods_charts(path)) == 2, 'samples: two charts')


def group_usage(tmp):
    rc, err = kpicalc(os.path.join(ROOT, 'samples'), '--summary',
                      os.path.join(tmp, 'x.txt'))
    check(rc == 2 and '.ods' in err, 'usage: --summary x.txt: exit 2')
    bad = os.path.join(tmp, 'bad.txt')
    with open(bad, 'w') as f:
        f.write('certrate>=120%\n')
    rc, err = kpicalc(os.path.join(ROOT, 'samples'), '--summary',
                      os.path.join(tmp, 'u.ods'), '--targets', bad)
    check(rc == 2 and 'line 1' in err, 'usage: bad targets: exit 2 (%s)'
          % err.strip())
    check(not os.path.exists(os.path.join(tmp, 'u.ods')), 'nothing written')
    rc, err = kpicalc(os.path.join(ROOT, 'samples'), '--summary',
                      os.path.join(tmp, 'u.csv'), '--targets', bad)
    check(rc == 2, 'usage: --targets without a county summary: exit 2')


GROUPS = [('usage', group_usage), ('fixtures', group_fixtures),
          ('old', group_old), ('samples', group_samples)]


def main(argv):
    only = argv[argv.index('-k') + 1] if '-k' in argv else ''
    if not os.access(KPICALC, os.X_OK):
        print('test_county: %s is needed (make)' % KPICALC)
        return 1
    tmp = tempfile.mkdtemp(prefix='kpicalc-county-')
    try:
        for name, fn in GROUPS:
            if only and only not in name:
                continue
            d = os.path.join(tmp, name)
            os.makedirs(d)
            try:
                fn(d)
            except Exception:
                check(False, '%s raised:\n%s' % (name, traceback.format_exc()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('county summary: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
