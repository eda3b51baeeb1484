/* msg.c - kpicalc's messages in Chinese; see msg.h. */
#include "msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct entry {
    const char *en, *zh;
};

/* Sorted by the English text (strcmp order: the unit test checks it).
 * Each translation keeps its key's printf conversions in the same order. */
static const struct entry table[] = {
    {" (%ld attempts)", "（共尝试 %ld 次）"},
    {"%d filled cell%s that the rollover clears %s not copied "
     "into the rolled workbook (%s%s): %s keeps them",
     "滚动时清空的单元格中有 %d "
     "个已填写%.0s%.0s，其内容没有复制到新工作簿（%s%s）：它们仍保存在 %s 中"},
    {"%s (%ld) -> %s (%ld): %d cells written, %d cleared, verified",
     "%s（%ld 年）-> %s（%ld 年）：写入 %d 个单元格，清空 %d 个，已核验"},
    {"%s appeared while the workbook was rolled: it is left as it "
     "is (--force replaces it)",
     "滚动期间出现了 %s：保持原样不动（--force 可替换它）"},
    {"%s exists: it is left as it is (--force replaces it)",
     "%s 已存在：保持原样不动（--force 可替换它）"},
    {"%s is the workbook of %ld: it rolls to %ld, not %ld",
     "%s 是 %ld 年度的工作簿：只能滚动到 %ld 年，不能滚动到 %ld 年"},
    {"%s row %ld: '%s' is not a cell address",
     "%s 第 %ld 行：“%s”不是单元格地址"},
    {"%s row %ld: 'clear' with a value", "%s 第 %ld 行：“clear”操作带有值"},
    {"%s row %ld: a value of this type (date or time: '%s') "
     "cannot be rolled",
     "%s 第 %ld 行：这种类型的值（日期或时间：“%s”）无法滚动"},
    {"%s row %ld: the plan shows %s (the History table full, or "
     "an input cell in error?)",
     "%s 第 %ld 行：滚动方案显示 %s（History "
     "历史表已满，或某个输入单元格有错误？）"},
    {"%s row %ld: unknown operation '%s'", "%s 第 %ld 行：未知操作“%s”"},
    {"%s%s holds '%s', not '%s'", "%s%s 的内容是“%s”，而不是“%s”"},
    {"%s: %s crashed (signal %d)%s%s\n", "%s: %s崩溃（信号 %d）%s%s\n"},
    {"%s: %s failed (exit status %d)\n", "%s: %s失败（退出状态 %d）\n"},
    {"%s: LibreOffice profile: %s\n", "%s: LibreOffice 配置文件：%s\n"},
    {"%s: cannot make a scratch folder: %s\n", "%s: 无法创建临时文件夹：%s\n"},
    {"%s: cannot read the extension file %s", "%s：无法读取扩展文件 %s"},
    {"%s: cannot write in the folder %s: %s\n",
     "%s: 无法在文件夹 %s 中写入：%s\n"},
    {"%s: corrupt file: %s", "%s：文件已损坏：%s"},
    {"%s: no add-in extension: kpicalc.oxt beside kpicalc, "
     "--extension or KPICALC_OXT\n",
     "%s: 没有找到扩展：kpicalc 旁的 kpicalc.oxt、--extension 或 "
     "KPICALC_OXT\n"},
    {"%s: timeout: %s was not done within --timeout %g s\n",
     "%s: 超时：%s未能在 --timeout 规定的 %g 秒内完成\n"},
    {"%s: warning: %s\n", "%s: 警告：%s\n"},
    {"--in-place and -o cannot go together%s",
     "--in-place 和 -o 不能同时使用%s"},
    {"--in-place keeps each workbook's own format: --to cannot go "
     "with it%s",
     "--in-place 保留每个工作簿原有的格式：不能与 --to 同时使用%s"},
    {"--max-docs-per-worker needs a positive number, not '%s'",
     "--max-docs-per-worker 需要一个正数，而不是“%s”"},
    {"--max-output-size needs a number of MB (0: no limit), not "
     "'%s'",
     "--max-output-size 需要以 MB 计的数值（0：不限），而不是“%s”"},
    {"--max-worker-memory needs a number of MB (0: no limit), not "
     "'%s'",
     "--max-worker-memory 需要以 MB 计的数值（0：不限），而不是“%s”"},
    {"--memory-limit needs a number of MB (0: no limit), not '%s'",
     "--memory-limit 需要以 MB 计的数值（0：不限），而不是“%s”"},
    {"--portable needs -o DIR to write into%s",
     "--portable 需要用 -o DIR 指定写入位置%s"},
    {"--portable replaces the add-in's formulas by values: it "
     "cannot go with --in-place, which would lose them in the "
     "workbook itself%s",
     "--portable 会把扩展函数的公式换成数值：不能与 --in-place "
     "同时使用，否则工作簿本身会丢失这些公式%s"},
    {"--profile-dir needs a folder", "--profile-dir 需要一个文件夹"},
    {"--profile-dir needs a folder%s", "--profile-dir 需要一个文件夹%s"},
    {"--retries needs a number from 0 to 10, not '%s'",
     "--retries 需要 0 到 10 之间的数，而不是“%s”"},
    {"--shard needs K/N with 1 <= K <= N (shards are numbered "
     "from 1), not '%s'",
     "--shard 需要 K/N，且 1 <= K <= N（分片从 1 开始编号），而不是“%s”"},
    {"--summary needs a .csv, .json, .ods or .xlsx file name, not "
     "'%s'",
     "--summary 需要 .csv、.json、.ods 或 .xlsx 文件名，而不是“%s”"},
    {"--targets needs --summary FILE.ods or FILE.xlsx (the county "
     "summary)%s",
     "--targets 需要 --summary FILE.ods 或 FILE.xlsx（全县汇总工作簿）%s"},
    {"--targets: %s", "--targets：%s"},
    {"--timeout needs a positive number of seconds, not '%s'",
     "--timeout 需要一个正的秒数，而不是“%s”"},
    {"--to needs -o DIR to write into%s", "--to 需要用 -o DIR 指定写入位置%s"},
    {"--to needs at least one format%s", "--to 至少需要一种格式%s"},
    {"--year needs a year, not '%s'", "--year 需要一个年份，而不是“%s”"},
    {"-j needs a number of workers from 1 to 256, not '%s'",
     "-j 需要 1 到 256 之间的工作进程数，而不是“%s”"},
    {"-o %s is the folder of the input workbooks: give an output "
     "folder of its own",
     "-o %s 是输入工作簿所在的文件夹：请另外指定一个输出文件夹"},
    {"-o OUT is needed: the rolled workbook is written to a new "
     "file",
     "需要 -o OUT：滚动后的工作簿写入一个新文件"},
    {"-o needs a file", "-o 需要一个文件名"},
    {"-o needs a folder%s", "-o 需要一个文件夹%s"},
    {"; last words: ", "；最后输出："},
    {"; peak worker memory %ld MiB, %d worker start%s",
     "；工作进程内存峰值 %ld MiB，启动工作进程 %d 次%.0s"},
    {"FAILED %s: %s", "失败   %s：%s"},
    {"LibreOffice could not start (lok_init_2)",
     "LibreOffice 无法启动（lok_init_2）"},
    {"LibreOffice reported a failed recalculation",
     "LibreOffice 报告重新计算失败"},
    {"OUT %s is a folder: give a file", "OUT %s 是一个文件夹：请指定文件"},
    {"OUT must be an .ods or .fods file: %s",
     "OUT 必须是 .ods 或 .fods 文件：%s"},
    {"OUT must not be the workbook itself", "OUT 不能是工作簿本身"},
    {"Try 'kpicalc %s --help'.\n", "请运行 'kpicalc %s --help' 查看用法。\n"},
    {"Usage: kpicalc new-year [options] WORKBOOK -o OUT\n"
     "\n"
     "Rolls a kpicalc yearly workbook to the next year: this "
     "year's figures\n"
     "become a History row, so they show as last year's; this "
     "year's inputs\n"
     "are cleared. OUT (.ods or .fods) is written only when the "
     "result has\n"
     "been verified, and never over an existing file unless "
     "--force.\n"
     "\n"
     "Options:\n"
     "  -o, --output OUT        the rolled workbook (.ods or "
     ".fods); its folder\n"
     "                          must exist\n"
     "      --year N            the year to roll to; it must be "
     "the workbook's\n"
     "                          year + 1 (the default)\n"
     "      --force             replace OUT when it exists\n"
     "      --timeout SECONDS   give up after this long (default "
     "600)\n"
     "      --extension FILE    the add-in to install (default: "
     "kpicalc.oxt beside\n"
     "                          the kpicalc program, or "
     "$KPICALC_OXT)\n"
     "      --profile-dir DIR   keep the private LibreOffice "
     "profiles in DIR\n"
     "  -v, --verbose           show each edit, and LibreOffice's "
     "own messages\n"
     "  -q, --quiet             no line when done; failures and "
     "warnings are\n"
     "                          still reported\n"
     "  -h, --help              show this help\n"
     "  -V, --version           show the version\n"
     "\n"
     "Exit status: 0 done and verified, 1 failed (OUT not "
     "written), 2 bad\n"
     "usage (OUT exists, its folder is missing, ...).\n"
     "\n"
     "Example:\n"
     "  kpicalc new-year dongchen-2020.ods -o dongchen-2021.ods\n",
     "用法：kpicalc new-year [选项] 工作簿 -o OUT\n"
     "\n"
     "把 kpicalc 年度工作簿滚动到下一年：本年数据写入 History 历史表的一行，\n"
     "于是显示为上年数据；本年的输入被清空。只有在结果核验无误后才写出 OUT\n"
     "（.ods 或 .fods），且除非指定 --force，决不覆盖已有的文件。\n"
     "\n"
     "选项：\n"
     "  -o, --output OUT        滚动后的工作簿（.ods 或 .fods）；其所在文件夹\n"
     "                          必须已存在\n"
     "      --year N            要滚动到的年份；必须是工作簿的年度 + "
     "1（默认）\n"
     "      --force             OUT 已存在时替换它\n"
     "      --timeout SECONDS   超过这么多秒即放弃（默认 600）\n"
     "      --extension FILE    要安装的扩展（默认：kpicalc 程序旁的 "
     "kpicalc.oxt，\n"
     "                          或 $KPICALC_OXT）\n"
     "      --profile-dir DIR   把私有的 LibreOffice 配置文件保存在 DIR 中\n"
     "  -v, --verbose           显示每一步修改，以及 LibreOffice 自身的输出\n"
     "  -q, --quiet             完成时不输出；失败和警告仍会报告\n"
     "  -h, --help              显示本帮助\n"
     "  -V, --version           显示版本\n"
     "\n"
     "退出状态：0 完成并已核验，1 失败（未写出 OUT），2 用法错误（OUT "
     "已存在、\n"
     "其文件夹不存在等）。\n"
     "\n"
     "示例：\n"
     "  kpicalc new-year dongchen-2020.ods -o dongchen-2021.ods\n"},
    {"Usage: kpicalc recalc [options] PATH...\n"
     "\n"
     "Recalculates every formula of every workbook (whatever "
     "results were\n"
     "cached in it) with LibreOffice and the kpicalc add-in, "
     "without running\n"
     "macros or fetching external links. PATH is a workbook, or a "
     "folder\n"
     "searched for .ods, .fods, .xlsx and .xls files.\n"
     "\n"
     "Options:\n"
     "  -o, --output DIR        write the results below DIR, "
     "mirroring the paths\n"
     "                          below each input folder "
     "(in/a/b.ods -> DIR/a/b.ods)\n"
     "      --to LIST           output formats, comma-separated: "
     "ods,fods,xlsx,\n"
     "                          xls,pdf,csv (default ods; csv "
     "writes one file\n"
     "                          per sheet, NAME-SHEET.csv)\n"
     "      --in-place          replace each workbook atomically "
     "in its own\n"
     "                          format, keeping the original as "
     "FILE.bak\n"
     "      --summary FILE      write one row per workbook "
     "(status, error cells,\n"
     "                          indicators of its KPI sheet) to "
     "FILE.csv or\n"
     "                          FILE.json; FILE.ods or FILE.xlsx: "
     "the county\n"
     "                          summary workbook (ranks, targets, "
     "funnel plots)\n"
     "      --targets FILE      the county summary's targets, "
     "KEY>=VALUE or\n"
     "                          KEY<=VALUE a line (default: the "
     "template's)\n"
     "      --portable          write each cell that calls a "
     "kpicalc function as\n"
     "                          its value (native formulas stay): "
     "for people\n"
     "                          who open the files in Excel, WPS "
     "or a LibreOffice\n"
     "                          without kpicalc\n"
     "      --csv-bom           start the per-sheet CSV files "
     "with a UTF-8\n"
     "                          byte-order mark, which Excel "
     "needs to show\n"
     "                          Chinese text (a CSV summary "
     "always has one)\n"
     "      --csv-raw           write CSV text that starts with = "
     "+ - @ as it\n"
     "                          is (by default it gets a leading "
     "', so that a\n"
     "                          spreadsheet does not run it as a "
     "formula)\n"
     "  -j, --jobs N            worker processes (default: the "
     "number of cores)\n"
     "      --shard K/N         process only the K-th (1..N) of N "
     "stable parts\n"
     "                          of the inputs, for a job runner "
     "over machines\n"
     "      --timeout SECONDS   give up on a workbook after this "
     "long (default 120)\n"
     "      --max-docs-per-worker N\n"
     "                          restart a worker after N "
     "workbooks (default 200)\n"
     "      --max-worker-memory MB\n"
     "                          restart a worker that grew beyond "
     "MB (default\n"
     "                          2048; 0: no limit)\n"
     "      --memory-limit MB   stop a worker that passes MB "
     "while it works on a\n"
     "                          workbook, which fails (default "
     "4096; 0: none)\n"
     "      --max-output-size MB\n"
     "                          fail a workbook whose output (or "
     "scratch\n"
     "                          export) reaches MB (default 1024; "
     "0: none)\n"
     "      --follow-symlinks   follow symbolic links that lead "
     "outside the\n"
     "                          input folders (default: reported, "
     "not followed)\n"
     "      --retries N         attempts after a worker crash "
     "(default 1)\n"
     "      --extension FILE    the add-in to install (default: "
     "kpicalc.oxt beside\n"
     "                          the kpicalc program, or "
     "$KPICALC_OXT)\n"
     "      --profile-dir DIR   keep the private LibreOffice "
     "profiles in DIR\n"
     "                          (default "
     "$XDG_CACHE_HOME/kpicalc/VERSION-HASH)\n"
     "  -v, --verbose           show LibreOffice's own messages "
     "and the profile\n"
     "                          steps (as KPICALC_DEBUG=1)\n"
     "  -q, --quiet             no progress; failures are still "
     "reported\n"
     "  -h, --help              show this help\n"
     "  -V, --version           show the version\n"
     "\n"
     "Exit status: 0 every workbook succeeded, 1 some failed "
     "(each named with\n"
     "its reason on stderr), 2 bad usage.\n"
     "\n"
     "Examples:\n"
     "  kpicalc recalc samples -o out --summary out/summary.csv\n"
     "  kpicalc recalc -j 2 --to ods,pdf --summary s.json in/\n"
     "  kpicalc recalc --shard 3/8 -o out --summary out/s-3.csv "
     "/data/province\n",
     "用法：kpicalc recalc [选项] 路径...\n"
     "\n"
     "用 LibreOffice 和 kpicalc "
     "扩展重新计算每个工作簿中的每个公式（不论文件中\n"
     "缓存了什么结果），不运行宏，也不获取外部链接。路径可以是一个工作簿，或一"
     "个\n"
     "文件夹（在其中查找 .ods、.fods、.xlsx 和 .xls 文件）。\n"
     "\n"
     "选项：\n"
     "  -o, --output DIR        把结果写到 DIR 下，保持各输入文件夹下的路径\n"
     "                          （in/a/b.ods -> DIR/a/b.ods）\n"
     "      --to LIST           "
     "输出格式，用逗号分隔：ods,fods,xlsx,xls,pdf,csv\n"
     "                          （默认 ods；csv 每个工作表写一个文件，\n"
     "                          名称-工作表.csv）\n"
     "      --in-place          以原格式原子地替换每个工作簿，原文件保留为\n"
     "                          FILE.bak\n"
     "      --summary FILE      每个工作簿写一行（状态、错误单元格数、KPI "
     "工作表\n"
     "                          中的指标）到 FILE.csv 或 "
     "FILE.json；FILE.ods 或\n"
     "                          "
     "FILE.xlsx：全县汇总工作簿（排名、目标、漏斗图）\n"
     "      --targets FILE      全县汇总的目标值，每行一个 KEY>=VALUE 或\n"
     "                          KEY<=VALUE（默认：模板中的目标）\n"
     "      --portable          把每个调用 kpicalc "
     "函数的单元格写成数值（原生公式\n"
     "                          保留）：供用 Excel、WPS 或未安装 kpicalc 的\n"
     "                          LibreOffice 打开文件的人使用\n"
     "      --csv-bom           在各工作表的 CSV 文件开头写 UTF-8 "
     "字节顺序标记，\n"
     "                          Excel 需要它才能正确显示中文（CSV "
     "汇总表总是有）\n"
     "      --csv-raw           以 = + - @ 开头的 CSV "
     "文本原样写出（默认在前面加\n"
     "                          一个 '，以免电子表格把它当作公式执行）\n"
     "  -j, --jobs N            工作进程数（默认：CPU 核数）\n"
     "      --shard K/N         只处理输入的 N 个稳定分片中的第 K "
     "个（1..N），\n"
     "                          供作业调度器在多台机器上分摊\n"
     "      --timeout SECONDS   单个工作簿超过这么多秒即放弃（默认 120）\n"
     "      --max-docs-per-worker N\n"
     "                          每个工作进程处理 N 个工作簿后重启（默认 200）\n"
     "      --max-worker-memory MB\n"
     "                          内存超过 MB 的工作进程将被重启（默认 2048；\n"
     "                          0：不限）\n"
     "      --memory-limit MB   工作进程处理工作簿时内存超过 MB "
     "即终止，该工作簿\n"
     "                          失败（默认 4096；0：不限）\n"
     "      --max-output-size MB\n"
     "                          输出（或临时导出）达到 MB 的工作簿判为失败\n"
     "                          （默认 1024；0：不限）\n"
     "      --follow-symlinks   "
     "跟随指向输入文件夹以外的符号链接（默认：报告，\n"
     "                          不跟随）\n"
     "      --retries N         工作进程崩溃后的重试次数（默认 1）\n"
     "      --extension FILE    要安装的扩展（默认：kpicalc 程序旁的 "
     "kpicalc.oxt，\n"
     "                          或 $KPICALC_OXT）\n"
     "      --profile-dir DIR   把私有的 LibreOffice 配置文件保存在 DIR 中\n"
     "                          （默认 "
     "$XDG_CACHE_HOME/kpicalc/版本-散列）\n"
     "  -v, --verbose           显示 LibreOffice "
     "自身的输出和配置文件的创建步骤\n"
     "                          （同 KPICALC_DEBUG=1）\n"
     "  -q, --quiet             不显示进度；失败仍会报告\n"
     "  -h, --help              显示本帮助\n"
     "  -V, --version           显示版本\n"
     "\n"
     "退出状态：0 所有工作簿成功，1 "
     "有工作簿失败（在标准错误上逐个列出原因），\n"
     "2 用法错误。\n"
     "\n"
     "示例：\n"
     "  kpicalc recalc samples -o out --summary out/summary.csv\n"
     "  kpicalc recalc -j 2 --to ods,pdf --summary s.json in/\n"
     "  kpicalc recalc --shard 3/8 -o out --summary out/s-3.csv "
     "/data/province\n"},
    {"Usage: kpicalc recalc [options] PATH...\n"
     "       kpicalc new-year [options] WORKBOOK -o OUT\n"
     "       kpicalc --help | --version\n"
     "\n"
     "Commands:\n"
     "  recalc    recalculate every formula of workbooks, export "
     "them and\n"
     "            summarise their indicators (kpicalc recalc "
     "--help)\n"
     "  new-year  roll a yearly workbook to the next year: this "
     "year's\n"
     "            inputs become last year's, the history gains a "
     "row\n"
     "            (kpicalc new-year --help)\n",
     "用法：kpicalc recalc [选项] 路径...\n"
     "      kpicalc new-year [选项] 工作簿 -o OUT\n"
     "      kpicalc --help | --version\n"
     "\n"
     "命令：\n"
     "  recalc    重新计算工作簿中的所有公式，导出结果，并汇总各工作簿的指标\n"
     "            （kpicalc recalc --help）\n"
     "  new-year  "
     "把年度工作簿滚动到下一年：本年数据变为上年数据，历史表增加一行\n"
     "            （kpicalc new-year --help）\n"},
    {"cannot export the workbook's cells", "无法导出工作簿的单元格"},
    {"cannot save the rolled workbook", "无法保存滚动后的工作簿"},
    {"cannot write %s: %s", "无法写入 %s：%s"},
    {"interrupted", "已中断"},
    {"kpicalc: %zu ok, %zu failed, %zu workbooks in %.1f s "
     "(%.2f/s, %d worker%s)%s\n",
     "kpicalc: 成功 %zu 个，失败 %zu 个，共 %zu 个工作簿，用时 %.1f 秒（每秒 "
     "%.2f "
     "个，%d 个工作进程%.0s）%s\n"},
    {"kpicalc: LibreOffice not found in %s (install "
     "libreoffice-calc, or set KPICALC_LO_PROGRAM)\n",
     "kpicalc: 在 %s 中找不到 LibreOffice（请安装 libreoffice-calc，或设置 "
     "KPICALC_LO_PROGRAM）\n"},
    {"kpicalc: creating the profile %s\n",
     "kpicalc: 正在创建 LibreOffice 配置文件 %s\n"},
    {"kpicalc: interrupted: %zu workbook%s not processed",
     "kpicalc: 已中断：%zu 个工作簿%.0s未处理"},
    {"kpicalc: note: %s\n", "kpicalc: 注意：%s\n"},
    {"kpicalc: summary: cannot write %s: %s",
     "kpicalc: 汇总表：无法写入 %s：%s"},
    {"kpicalc: unknown command '%s'\n", "kpicalc: 未知命令“%s”\n"},
    {"kpicalc: warning: no add-in extension (kpicalc.oxt beside "
     "kpicalc, --extension or KPICALC_OXT): the add-in's "
     "functions will show #NAME?\n",
     "kpicalc: 警告：没有找到扩展（kpicalc 旁的 kpicalc.oxt、--extension 或 "
     "KPICALC_OXT）：扩展的函数将显示 #NAME?\n"},
    {"kpicalc: warning: the .xlsx/.xls outputs of %zu workbook%s "
     "keep %ld cells that call kpicalc functions: Excel, WPS and "
     "a LibreOffice without kpicalc show them as #NAME?. "
     "--portable writes their values instead.\n",
     "kpicalc: 警告：%zu 个工作簿%.0s的 .xlsx/.xls 输出中有 %ld 个单元格调用 "
     "kpicalc 函数：Excel、WPS 和未安装 kpicalc 的 LibreOffice 会显示 "
     "#NAME?。使用 --portable 可改为写入其数值。\n"},
    {"no workbook given", "没有指定工作簿"},
    {"no workbook or folder given%s", "没有指定工作簿或文件夹%s"},
    {"not a kpicalc yearly workbook: its %s sheet has no '%s' plan",
     "不是 kpicalc 年度工作簿：其 %s 工作表中没有“%s”滚动方案"},
    {"not a regular file", "不是普通文件"},
    {"note   %s: %s", "注意   %s：%s"},
    {"nothing is filled in for %ld (every cell the rollover "
     "clears is empty): the rolled workbook records an empty year",
     "%ld "
     "年度没有填写任何数据（滚动时要清空的单元格全是空的）：新工作簿将记录一个"
     "空年度"},
    {"ok     %s (%.2f s)%s%s", "成功   %s（%.2f 秒）%s%s"},
    {"one workbook at a time (%s, %s)", "一次只能处理一个工作簿（%s，%s）"},
    {"option '%s' needs a value", "选项“%s”需要一个值"},
    {"out of memory", "内存不足"},
    {"output check failed: %s", "输出检查未通过：%s"},
    {"the %s sheet has no 'plan' row", "%s 工作表中没有“plan”行"},
    {"the check of the workbook", "工作簿检查"},
    {"the edits did not take: %s", "修改未生效：%s"},
    {"the folder of OUT does not exist: %s (create it first)",
     "OUT 所在的文件夹不存在：%s（请先创建）"},
    {"the plan in %s has %d 'year' rows, not 1",
     "%s 中的滚动方案有 %d 个“year”行，应为 1 个"},
    {"the plan in %s has no 'end' row", "%s 中的滚动方案没有“end”行"},
    {"the plan names too many sheets", "滚动方案涉及的工作表太多"},
    {"the saved workbook cannot be read back: %s",
     "保存的工作簿无法重新读取：%s"},
    {"the saved workbook misses %d change%s: %s",
     "保存的工作簿缺少 %d 处修改%.0s：%s"},
    {"the workbook has no year: its year cell %s shows %s",
     "工作簿没有年度：年度单元格 %s 显示 %s"},
    {"the workbook's rollover plan has layout version %s; this "
     "kpicalc knows version %d",
     "工作簿的滚动方案版式版本为 %s；此版本的 kpicalc 只认识版本 %d"},
    {"the workbook's year (cell %s) is '%s', not a year",
     "工作簿的年度（单元格 %s）是“%s”，不是年份"},
    {"unknown error", "未知错误"},
    {"unknown option '%s'", "未知选项“%s”"},
    {"unknown output format '%s' (known: ods, fods, xlsx, xls, "
     "pdf, csv)",
     "未知输出格式“%s”（可用：ods、fods、xlsx、xls、pdf、csv）"},
};

/* Known phrases of the per-workbook messages (kc_tr_reason), tried in
 * order: "%s" stands for any text, kept as it is. */
static const struct entry reasons[] = {
    {"corrupt file: %s", "文件已损坏：%s"},
    {"output check failed: %s", "输出检查未通过：%s"},
    {"timeout: still not done after %s s", "超时：%s 秒后仍未完成"},
    {"LibreOffice did not finish the edits within %s s",
     "LibreOffice 未能在 %s 秒内完成修改"},
    {"worker crashed (%s); last words: %s", "工作进程崩溃（%s）；最后输出：%s"},
    {"worker crashed (%s)", "工作进程崩溃（%s）"},
    {"cannot open: %s", "无法打开：%s"},
    {"cannot read: %s", "无法读取：%s"},
    {"not a regular file", "不是普通文件"},
    {"password-protected: cannot be opened without its password",
     "有密码保护：没有密码无法打开"},
    {"cannot be opened as a spreadsheet (unknown format or "
     "damaged file)%s",
     "无法作为电子表格打开（格式未知或文件已损坏）%s"},
    {"not a spreadsheet (LibreOffice opened it as another kind of "
     "document)",
     "不是电子表格（LibreOffice 把它作为其他类型的文档打开）"},
    {"the kpicalc add-in does not work in this LibreOffice: %s",
     "kpicalc 扩展在此 LibreOffice 中无法工作：%s"},
    {"the workbook does not fit in .xls: %s", "工作簿超出 .xls 的容量：%s"},
    {"output folder: %s", "输出文件夹：%s"},
    {"cannot write in the output folder %s: %s",
     "无法在输出文件夹 %s 中写入：%s"},
    {"its output %s would also be written for %s", "其输出 %s 也会由 %s 写出"},
    {"its output %s would replace an input (use --in-place to "
     "replace workbooks)",
     "其输出 %s 会替换一个输入文件（要替换工作簿请用 --in-place）"},
    {"--in-place writes .ods, .fods, .xlsx or .xls only",
     "--in-place 只能写 .ods、.fods、.xlsx 或 .xls"},
    {"cannot keep a backup %s: %s", "无法保留备份 %s：%s"},
    {"cannot write %s: %s", "无法写入 %s：%s"},
    {"cannot make the portable copy: %s", "无法生成 --portable 副本：%s"},
    {"profile: %s", "LibreOffice 配置文件：%s"},
    {"LibreOffice did not start%s", "LibreOffice 未能启动%s"},
    {"cannot start a worker: %s", "无法启动工作进程：%s"},
    {"cannot create a temporary folder", "无法创建临时文件夹"},
    {"cannot make the path absolute", "无法取得绝对路径"},
    {"the run was interrupted", "运行被中断"},
    {"links to content outside the workbook: %s", "链接到工作簿以外的内容：%s"},
    {"a dangling symbolic link (what it points to does not exist)",
     "失效的符号链接（指向的目标不存在）"},
    {"a symbolic link loop", "符号链接循环"},
    {"cannot follow the symbolic link: %s", "无法跟随符号链接：%s"},
    {"a symbolic link to something that is not a regular file",
     "指向非普通文件的符号链接"},
    {"a symbolic link leading outside the input folders (not "
     "followed; --follow-symlinks follows it)",
     "指向输入文件夹以外的符号链接（未跟随；--follow-symlinks 可跟随）"},
    {"memory limit: LibreOffice used %s MB working on it, over "
     "the limit of %s MB (--memory-limit); it was stopped",
     "内存限制：LibreOffice 处理它时用了 %s MB，超过 %s MB "
     "的限制（--memory-limit），已被终止"},
    {"output size limit: %s", "输出大小限制：%s"},
    {"out of memory", "内存不足"},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int forced = -1;

int kc_msg_locale_is_zh(const char *value)
{
    if (!value || strncmp(value, "zh", 2) != 0)
        return 0;
    if (value[2] != '\0' && value[2] != '_' && value[2] != '.' &&
        value[2] != '@')
        return 0; /* "zhx": no Chinese locale */
    const char *dot = strchr(value, '.');
    if (!dot)
        return 1;
    size_t n = strcspn(dot + 1, "@");
    return (n == 5 && strncasecmp(dot + 1, "utf-8", 5) == 0) ||
           (n == 4 && strncasecmp(dot + 1, "utf8", 4) == 0);
}

int kc_msg_zh(void)
{
    static int lang = -1;
    if (forced >= 0)
        return forced;
    if (lang < 0) {
        const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
        const char *v = NULL;
        for (size_t i = 0; i < COUNT(names) && !v; i++) {
            v = getenv(names[i]);
            if (v && !*v)
                v = NULL;
        }
        lang = kc_msg_locale_is_zh(v);
    }
    return lang;
}

void kc_msg_force(int zh)
{
    forced = zh < 0 ? -1 : zh != 0;
}

static int cmp_entry(const void *key, const void *e)
{
    return strcmp(key, ((const struct entry *)e)->en);
}

const char *kc_tr(const char *english)
{
    if (!english || !kc_msg_zh())
        return english;
    const struct entry *e =
        bsearch(english, table, COUNT(table), sizeof *table, cmp_entry);
    return e ? e->zh : english;
}

/* Matches MSG against PATTERN ("%s" matches any text, shortest first but
 * the last one, which takes the rest); the texts matched in CAP. */
static int match(const char *pat, const char *msg, const char **cap,
                 size_t *caplen, int ncap, int maxcap)
{
    while (*pat) {
        if (pat[0] == '%' && pat[1] == 's') {
            if (ncap == maxcap)
                return -1;
            const char *rest = pat + 2;
            if (!*rest) {
                cap[ncap] = msg;
                caplen[ncap] = strlen(msg);
                return ncap + 1;
            }
            for (const char *m = msg; *m; m++) {
                cap[ncap] = msg;
                caplen[ncap] = (size_t)(m - msg);
                int r = match(rest, m, cap, caplen, ncap + 1, maxcap);
                if (r >= 0)
                    return r;
            }
            return -1;
        }
        if (*pat != *msg)
            return -1;
        pat++;
        msg++;
    }
    return *msg ? -1 : ncap;
}

/* Writes TEMPLATE with its "%s" replaced by the captures, in order. */
static void fill(const char *tmpl, const char **cap, const size_t *caplen,
                 int ncap, char *buf, size_t bufsz)
{
    size_t k = 0;
    int c = 0, cut = 0;
    for (const char *t = tmpl; *t && !cut; t++) {
        if (t[0] == '%' && t[1] == 's' && c < ncap) {
            size_t n = caplen[c];
            if (n > bufsz - 1 - k) {
                n = bufsz - 1 - k;
                cut = 1;
            }
            memcpy(buf + k, cap[c], n);
            k += n;
            c++;
            t++;
        } else if (k + 1 < bufsz) {
            buf[k++] = *t;
        } else {
            cut = 1;
        }
    }
    /* cut short: not inside a UTF-8 character */
    if (cut) {
        while (k > 0 && ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0 && (unsigned char)buf[k - 1] >= 0xC0)
            k--;
    }
    buf[k] = '\0';
}

const char *kc_tr_reason(const char *msg, char *buf, size_t bufsz)
{
    if (!msg || !kc_msg_zh() || bufsz == 0)
        return msg;
    /* "REASON (N attempts)": the pool's suffix after a retried crash */
    const char *suffix = NULL;
    size_t len = strlen(msg);
    const char *open = strrchr(msg, '(');
    if (open && open > msg && open[-1] == ' ' && len > 11 &&
        strcmp(msg + len - 10, " attempts)") == 0)
        suffix = open - 1;
    char *whole = suffix ? strndup(msg, (size_t)(suffix - msg)) : NULL;
    const char *body = whole ? whole : msg;
    const char *cap[4];
    size_t caplen[4];
    const char *out = msg;
    for (size_t i = 0; i < COUNT(reasons); i++) {
        int n = match(reasons[i].en, body, cap, caplen, 0, 4);
        if (n < 0)
            continue;
        fill(reasons[i].zh, cap, caplen, n, buf, bufsz);
        out = buf;
        break;
    }
    if (suffix && out == buf) {
        size_t used = strlen(buf);
        long tries = strtol(suffix + 2, NULL, 10);
        char tail[64];
        snprintf(tail, sizeof tail, kc_tr(" (%ld attempts)"), tries);
        if (used + strlen(tail) < bufsz)
            memcpy(buf + used, tail, strlen(tail) + 1);
    }
    free(whole);
    return out;
}

size_t kc_msg_count(void)
{
    return COUNT(table);
}

const char *kc_msg_key(size_t i)
{
    return i < COUNT(table) ? table[i].en : NULL;
}

const char *kc_msg_text(size_t i)
{
    return i < COUNT(table) ? table[i].zh : NULL;
}

size_t kc_reason_count(void)
{
    return COUNT(reasons);
}

const char *kc_reason_key(size_t i)
{
    return i < COUNT(reasons) ? reasons[i].en : NULL;
}

const char *kc_reason_text(size_t i)
{
    return i < COUNT(reasons) ? reasons[i].zh : NULL;
}
