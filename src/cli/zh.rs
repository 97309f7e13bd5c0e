//! The Chinese help texts, keyed by command path and argument id.
//!
//! Rules of this module:
//! - A command's path is its names after `sitrep`, space-separated: `""` is `sitrep` itself,
//!   `"file"`, `"rules check"`. An argument is keyed by its path and its clap id (the field's
//!   name: `serious_injuries`, `user` for `--as`); the path `*` holds the arguments whose English
//!   help is the same in every command that has them (the global flags, the report flags, `id`,
//!   `-h`, `-V`), and a test holds it to that.
//! - Only our words are here. What clap derives from the command tree — `（默认：…）`,
//!   `（可选：…）`, `（环境变量 …）`, the example command lines — is added by `localize`, so it
//!   cannot drift from the English.
//! - Chinese punctuation is full-width: `：`, `（）`, `；`, `，`. What a person types (a flag, a
//!   value, a command) stays as typed; inside a sentence it is put in backticks.
//! - A command or argument without a text here fails `localize`'s tests, so a flag added without
//!   its translation fails `cargo test`. Where the English has a second paragraph (a long help),
//!   so does the Chinese: paragraphs are separated by a blank line (`\n\n`), the first is the
//!   summary `-h` shows.

/// Commands: path, what it does, and the long form when the English has a second paragraph.
pub(super) const COMMANDS: &[(&str, &str, Option<&str>)] = &[
    (
        "",
        "突发事件信息报送，按时限逐级报送。",
        Some(
            "突发事件信息报送，按时限逐级报送。\n\n快报情况，逐级报送，续报进展，以终报结束；`check` 列出超时、迟报和越级报送的问题。全部数据存于一个本地数据库文件；记录只增不改，并以哈希链相连。",
        ),
    ),
    ("init", "创建数据库（其他写入命令首次使用时也会创建）", None),
    ("file", "报告一起新事件（首报）", None),
    ("update", "续报：报告事件的最新进展", None),
    ("escalate", "记录已向报送链中的某一层级报送", None),
    ("close", "终报，并结束事件", None),
    ("correct", "更正一条记录；原记录保留，与更正并列显示", None),
    (
        "show",
        "查看事件：基本情况、伤亡及损失、全部记录、全部时限",
        None,
    ),
    ("list", "事件列表，最新的在前", None),
    (
        "check",
        "检查超时、迟报、越级、内容不全和原因过早确认的问题（有问题时退出码为 3）",
        None,
    ),
    (
        "review",
        "带班领导审核违规问题：审核后仍列为问题，但不再计入退出码",
        None,
    ),
    ("digest", "值班日报：一个值班日或任意时段的报告", None),
    (
        "verify",
        "检查数据库和哈希链，打印链头（发现损坏时退出码为 3）",
        None,
    ),
    ("backup", "在他人写入的同时，备份一份一致的数据库副本", None),
    (
        "export",
        "导出全部事件，每行一个 JSON 对象，格式同 `show --format json` 的输出",
        None,
    ),
    (
        "import",
        "把 `export` 导出的（或由旧台账转换的）每行一个 JSON 对象的文件导入数据库，在一个事务中完成",
        None,
    ),
    ("rules", "报送规则", None),
    (
        "rules check",
        "校验规则文件，列出其等级、层级和各环节",
        None,
    ),
    ("office", "共享库中的单位", None),
    ("office add", "添加单位（共享库所有者）", None),
    (
        "office list",
        "各单位：代码、名称、上级单位、现行规则",
        None,
    ),
    (
        "office grant",
        "允许某登录名为单位报送，或作为带班领导查看该单位及其下各单位（所有者）",
        None,
    ),
    (
        "office rules",
        "为单位启用新规则；此前的事件保留原规则（所有者）",
        None,
    ),
    ("admin", "共享库所有者：迁移", None),
    (
        "admin migrate",
        "把共享库结构升级到本版本的结构（所有者）",
        None,
    ),
    ("completions", "生成命令行补全脚本", None),
    ("man", "生成手册页（供 `man` 阅读）", None),
    ("help", "打印本帮助，或所给子命令的帮助", None),
];

/// Arguments: command path (or `*`), argument id, help.
pub(super) const ARGS: &[(&str, &str, &str)] = &[
    // Global flags.
    (
        "*",
        "db",
        "数据库：文件，或共享库的连接串（`postgres://用户@主机/库名`，或 `key=value` 形式）（默认：数据目录中的 sitrep.db，如 ~/.local/share/sitrep/sitrep.db）",
    ),
    (
        "*",
        "rules",
        "报送规则文件（默认：当前目录有 ./reporting-rules.toml 时用它，否则用内置规则）",
    ),
    (
        "*",
        "format",
        "输出格式，各命令支持哪些见其说明（默认：table）",
    ),
    ("*", "user", "操作人（默认：操作系统用户名）"),
    (
        "*",
        "lang",
        "标签和提示的语言（默认：按 LANG 判断，zh_* 为中文）",
    ),
    ("*", "color", "何时为表格着色（auto 时遵从 NO_COLOR）"),
    (
        "*",
        "no_input",
        "从不提示输入：缺少参数时立即失败，并列出所缺的全部参数",
    ),
    ("*", "help", "打印帮助"),
    ("*", "version", "打印版本"),
    ("*", "id", "事件编号，如 20260310-001"),
    // The report flags of file, update, close and correct.
    ("*", "measures", "已采取的措施（重报措施）"),
    ("*", "deaths", "死亡人数"),
    ("*", "missing", "失踪人数"),
    ("*", "serious_injuries", "重伤人数"),
    ("*", "injuries", "受伤人数"),
    ("*", "trapped", "被困人数"),
    ("*", "evacuated", "疏散人数"),
    ("*", "loss", "直接经济损失（元）：12000000、1.2e7 或 1200万"),
    (
        "*",
        "figures",
        "规则文件声明的其他统计项，如 `--figure hospitalized=2`",
    ),
    ("*", "cause", "目前所知的原因（慎报原因）"),
    (
        "*",
        "cause_status",
        "原因的确定程度：`unknown`（原因不明）、`preliminary`（初步判断）或 `confirmed`（已查明），亦可直接写中文（默认：给出 --cause 时为初步判断）",
    ),
    (
        "*",
        "bom",
        "CSV 以字节顺序标记开头，供需要它才能读出中文的电子表格软件使用",
    ),
    // file
    ("file", "title", "标题，宜简短，如“化工厂储罐泄漏”"),
    ("file", "kind", "事件类型（见 `sitrep rules check`）"),
    (
        "file",
        "occurred",
        "发生时间（14:05、昨天 14:05、2026-03-10 14:05、30分钟前……）",
    ),
    (
        "file",
        "known",
        "接报时间，各时限由此起算（默认：本次报告的时间）",
    ),
    ("file", "location", "地点"),
    ("file", "unit", "报告单位"),
    ("file", "facts", "事件基本情况（快报情况）"),
    (
        "file",
        "severity",
        "事件等级（默认：按伤亡及损失判定；低于其对应等级的将被拒绝）",
    ),
    ("file", "at", "本次报告的时间（默认：现在）"),
    ("file", "edit", "在 $VISUAL/$EDITOR 中编写基本情况和措施"),
    // update
    ("update", "progress", "上次报告以来的进展"),
    (
        "update",
        "severity",
        "自本次报告起认定的等级（此后作出的认定，如 `major` 或 `material`）；不得低于当前等级",
    ),
    ("update", "at", "本次报告的时间（默认：现在）"),
    ("update", "edit", "在 $VISUAL/$EDITOR 中编写进展和措施"),
    // escalate
    ("escalate", "level", "报送的层级（见 `sitrep rules check`）"),
    (
        "escalate",
        "via",
        "报送方式（默认：规则的默认方式，内置规则为 `phone`）",
    ),
    ("escalate", "contact", "接报人"),
    ("escalate", "reason", "越过下级报送时，说明理由"),
    ("escalate", "at", "报送的时间（默认：现在）"),
    // close
    ("close", "summary", "事件如何结束"),
    ("close", "at", "本次报告的时间（默认：现在）"),
    ("close", "edit", "在 $VISUAL/$EDITOR 中编写总结和措施"),
    // correct
    ("correct", "entry", "要更正的记录（`sitrep show` 中的序号）"),
    ("correct", "reason", "更正的理由（必填）"),
    ("correct", "at", "该记录的正确时间"),
    ("correct", "title", "首报的正确标题"),
    ("correct", "kind", "正确的事件类型"),
    ("correct", "occurred", "正确的发生时间"),
    ("correct", "known", "正确的接报时间"),
    ("correct", "location", "正确的地点"),
    ("correct", "unit", "正确的报告单位"),
    ("correct", "severity", "正确的认定等级"),
    ("correct", "facts", "首报的正确基本情况"),
    ("correct", "progress", "续报的正确进展"),
    ("correct", "summary", "终报的正确总结"),
    ("correct", "level", "报送记录的正确层级"),
    ("correct", "via", "报送记录的正确方式"),
    ("correct", "contact", "报送记录的正确接报人"),
    ("correct", "bypass_reason", "报送记录的正确越级理由"),
    ("correct", "note", "审核记录的正确审核意见"),
    ("correct", "source", "首报的正确信息来源"),
    ("correct", "accident_unit", "首报的正确事故发生单位概况"),
    ("correct", "signed_by", "报送记录的正确签发人"),
    ("file", "source", "信息来源：谁报告的，如何联系"),
    (
        "file",
        "accident_unit",
        "事故发生单位概况：单位名称、性质、地址等",
    ),
    ("escalate", "signed_by", "书面报告的签发领导（签发人）"),
    // show
    (
        "show",
        "report",
        "与 --format markdown 或 html 同用：输出第 N 条记录（首报、续报或终报）所作的书面报告（默认：最新一次报告）",
    ),
    // list
    ("list", "open", "只列处置中的事件"),
    ("list", "closed", "只列已终报的事件"),
    (
        "list",
        "since",
        "只列自某一时间起，或某一时长内（7d、48h）报告的事件",
    ),
    ("list", "severity", "只列此等级的事件"),
    ("list", "kind", "只列此类型的事件"),
    ("list", "limit", "最多列出 N 起"),
    // check
    (
        "check",
        "at",
        "按某一时刻判断，可早于或晚于现在（默认：现在）",
    ),
    (
        "check",
        "since",
        "另含自某一时间起，或某一时长内（7d）终报的事件",
    ),
    ("check", "all", "全部事件"),
    (
        "check",
        "quiet",
        "没有问题时不输出任何内容，并略去已审核的问题（供定时任务使用：只在出现新问题时发邮件）",
    ),
    ("check", "unreviewed", "只列出尚未审核的问题"),
    // review
    (
        "review",
        "step",
        "审核其违规问题的环节（见 `sitrep check`）",
    ),
    (
        "review",
        "finding",
        "审核的内容类问题：`incomplete`（内容不全）或 `premature_cause`（原因报告过早）",
    ),
    (
        "review",
        "reason",
        "环节既有越级又有漏报时，审核哪一项：`bypassed`（越级）或 `omitted`（漏报）",
    ),
    ("review", "note", "核实情况和处理意见（必填）"),
    ("review", "at", "审核时间（默认：现在）"),
    // digest
    (
        "digest",
        "date",
        "值班日：自规则的 `day_starts`（08:00）起，至次日同一时刻",
    ),
    ("digest", "from", "时段的起点（与 --to 同用）"),
    ("digest", "to", "时段的终点，不含（与 --from 同用）"),
    // verify, backup, import, rules check, completions
    ("verify", "head", "此前打印的链头：证明哈希链仍包含它"),
    ("backup", "path", "副本写到哪里（不得已存在）"),
    ("import", "file", "要读取的文件，- 表示标准输入"),
    (
        "rules check",
        "path",
        "规则文件（默认：当前使用的规则：--rules、./reporting-rules.toml 或内置规则）",
    ),
    ("completions", "shell", "命令行外壳"),
    // A shared store: offices, the owner's migrations, narrowing to an office.
    (
        "init",
        "test_clock",
        "创建共享库时：标记为测试库，客户端时钟（SITREP_NOW）有效；此标记永久保留并始终显示",
    ),
    (
        "file",
        "office",
        "共享库中：为哪个单位报送（登录名属于多个单位时）",
    ),
    (
        "import",
        "office",
        "共享库中：导入到哪个单位（编号加上其代码）",
    ),
    (
        "list",
        "office",
        "共享库中：只看所指定的单位（默认：登录名可查看的全部单位）",
    ),
    ("list", "tree", "与 --office 同用：也包括其下各单位"),
    (
        "check",
        "office",
        "共享库中：只看所指定的单位（默认：登录名可查看的全部单位）",
    ),
    ("check", "tree", "与 --office 同用：也包括其下各单位"),
    (
        "digest",
        "office",
        "共享库中：只看所指定的单位（默认：登录名可查看的全部单位）",
    ),
    ("digest", "tree", "与 --office 同用：也包括其下各单位"),
    (
        "office add",
        "code",
        "单位代码：小写，以字母开头，其后至多 15 个字母或数字；该单位的每个编号都以它开头（cg-20260310-001）",
    ),
    ("office add", "name", "单位名称"),
    ("office add", "parent", "上级单位"),
    (
        "office add",
        "rules_file",
        "该单位报送所依据的规则（默认：内置规则）",
    ),
    ("office grant", "code", "单位代码"),
    ("office grant", "login", "数据库登录名"),
    (
        "office grant",
        "supervisor",
        "作为带班领导：查看其下各单位，在其中审核",
    ),
    ("office rules", "code", "单位代码"),
    ("office rules", "file", "规则文件"),
];

/// `-h` and `--help` where a command has a long help as well as a summary.
pub(super) const HELP_SEE_LONG: &str = "打印帮助（--help 显示详细说明）";
pub(super) const HELP_SEE_SHORT: &str = "打印帮助（-h 显示摘要）";

/// Value names (`<TIME>`), by their English name.
pub(super) const VALUE_NAMES: &[(&str, &str)] = &[
    ("PATH", "路径"),
    ("PATH|URL", "路径|连接串"),
    ("FILE", "文件"),
    ("CODE", "代码"),
    ("LOGIN", "登录名"),
    ("FORMAT", "格式"),
    ("NAME", "姓名"),
    ("LANG", "语言"),
    ("COLOR", "何时"),
    ("TITLE", "标题"),
    ("KIND", "类型"),
    ("TIME", "时间"),
    ("TIME|DURATION", "时间|时长"),
    ("YYYY-MM-DD", "日期"),
    ("LOCATION", "地点"),
    ("UNIT", "单位"),
    ("TEXT", "文字"),
    ("CLASS", "等级"),
    ("N", "N"),
    ("AMOUNT", "金额"),
    ("NAME=N", "名称=N"),
    ("STATUS", "程度"),
    ("ID", "编号"),
    ("LEVEL", "层级"),
    ("CHANNEL", "方式"),
    ("HASH", "链头"),
    ("SHELL", "外壳"),
    ("STEP", "环节"),
    ("REASON", "类型"),
];

/// What a fixed value means, shown beside it in `（可选：…）`; format and shell names need none.
pub(super) const VALUES: &[(&str, &str)] = &[
    ("table", "表格"),
    ("en", "英文"),
    ("zh", "中文"),
    ("auto", "自动"),
    ("always", "总是"),
    ("never", "从不"),
];

/// The comments after example command lines (`# the latest complete duty day`).
pub(super) const COMMENTS: &[(&str, &str)] = &[
    ("the latest complete duty day", "最近一个完整的值班日"),
    ("a shared store, by its owner", "共享库，由其所有者创建"),
    (
        "prove the chain still holds a head printed earlier",
        "证明哈希链仍包含此前打印的链头",
    ),
    ("cron", "定时任务"),
];

/// Headings.
pub(super) const EXAMPLES: &str = "示例：";
pub(super) const GLOBAL_OPTIONS: &str = "全局选项";
pub(super) const COMMAND_VALUE: &str = "命令";
