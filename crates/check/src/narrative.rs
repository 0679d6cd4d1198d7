//! The narrative (第三部分 情况说明) against the tables: every amount the text states is
//! read with the words before it, resolved to the table figure those words name (the
//! catalogue's narrative phrases, classification names, row labels, column names) and
//! compared at the text's printed precision; shares (占…%), completion rates
//! (完成预算的…%), changes (增加/减少 …万元, 增长/下降 …%) and comparison words
//! (大于/小于/等于/持平) are recomputed from the amounts they speak of; parts listed after
//! 其中 may not exceed their whole; counts of rated projects add up.

use std::sync::OnceLock;

use gongkai_model::{catalogue, fold_width, normalize_label, parse_amount, Document, Finding, Part, Section, Severity, Table};
use regex::Regex;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::{half_unit, Outcome};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Basis {
    Budget,
    Actual,
}

#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    /// Where the words before the number begin (after the last delimiter).
    clause_start: usize,
    end: usize,
    value: Decimal,
    scale: u32,
    /// 万元 / 元 / 亿元, or None for a percentage.
    unit: Option<&'static str>,
    /// The words before the number within its clause, normalized.
    words: String,
    basis: Basis,
    /// What the words name, with basis words, verbs and change words taken off.
    subject: String,
    /// +1 增加/增长, -1 减少/下降, 0 none.
    change: i32,
}

fn year_prefix() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^.*?(?:19|20)\d{2}年").expect("static regex"))
}

fn number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(\d[\d,]*(?:\.\s?\d+)?)\s*(万元|亿元|元|%)").expect("static regex"))
}

const DELIMS: &[char] = &['，', ',', '；', ';', '：', ':', '、', '。'];
/// The narrative's words (labels.json `narrative_words`).
fn vocab() -> &'static gongkai_model::catalogue::NarrativeWords {
    &catalogue().narrative_words
}

fn strip_suffixes(mut s: String, list: &[String]) -> String {
    loop {
        let before = s.len();
        for w in list {
            if let Some(t) = s.strip_suffix(w) {
                s = t.to_string();
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Normalized words: the contract's label normalization, then (类)/(款)/(项) markers
/// dropped. The label aliases are not applied: they fold 收入总计 and 支出总计 into one
/// 总计, which the text keeps apart.
fn norm(s: &str) -> String {
    normalize_label(s).replace("(类)", "").replace("(款)", "").replace("(项)", "")
}

/// What the words before an amount say: normalized words, basis, subject, change (+1/-1/0).
fn read_words(clause: &str, budget: bool) -> (String, Basis, String, i32) {
    let mut words = norm(clause);
    // A document speaks of `2024年度收入合计`: the year and what precedes it is not the name.
    if let Some(i) = words.rfind("年度") {
        words = words[i + "年度".len()..].to_string();
    } else if let Some(m) = year_prefix().find(&words) {
        words = words[m.end()..].to_string();
    }
    let trimmed = strip_suffixes(words.clone(), &vocab().verbs);
    // 一般公共预算财政拨款支出 is not a budget figure: only a closing 预算 word makes one.
    // In a budget every table figure is a 预算数: its words name it whole (收入预算).
    let basis = if !budget && vocab().budget.iter().any(|b| trimmed.ends_with(b.as_str())) { Basis::Budget } else { Basis::Actual };
    let mut change = 0;
    let mut subject = trimmed.clone();
    for (dir, list) in [(1, &vocab().up), (-1, &vocab().down)] {
        for w in list {
            if let Some(t) = trimmed.strip_suffix(w) {
                change = dir;
                subject = t.to_string();
            }
        }
    }
    let subject = strip_suffixes(subject, &vocab().verbs);
    let subject = if budget { subject } else { strip_suffixes(subject, &vocab().basis) };
    let subject = strip_suffixes(subject, &vocab().verbs);
    (words, basis, subject, change)
}

fn mentions(sentence: &str, budget: bool) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut prev_end = 0;
    for c in number_re().captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let Some(a) = parse_amount(&c[1]) else { continue };
        let unit = match &c[2] {
            "%" => None,
            "万元" => Some("万元"),
            "亿元" => Some("亿元"),
            _ => Some("元"),
        };
        let before = &sentence[prev_end..m.start()];
        let clause = before.rsplit(DELIMS).next().unwrap_or(before);
        let (words, basis, subject, change) = read_words(clause, budget);
        out.push(Mention { start: m.start(), end: m.end(), clause_start: m.start() - clause.len(), value: a.0, scale: a.scale(), unit, words, basis, subject, change });
        prev_end = m.end();
    }
    out
}

/// A line that opens a numbered item (`(二)…`, `3.`, `- 1.`).
fn item_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*(?:[-*]\s*)?(?:\*\*)?(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d{1,2}(?:、|．|\.[^\d]))").expect("static regex"))
}

/// What a change is measured against: `比2024年预算`, `与上年度相比`, `较2023年决算数`.
/// Group 1: the year, absent for 上年; group 2: the basis word.
const PRIOR: &str = r"(?:比|与|较|同)(?:上一?年度?|((?:19|20)\d{2})\s*年度?)(?:同期)?(年初预算数|年初预算|预算执行数|预算执行|预算数|预算|决算数|决算)?";

fn prior_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(PRIOR).expect("static regex"))
}

/// `与2024年预算持平`, `与2023年度相比，财政拨款收入支出总计持平` (group 3: the words
/// naming the figure; group 4: 基本 — 基本持平 states no figure).
fn flat_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(&format!(r"{PRIOR}(?:相比|相较|比较)?[,，]?\s*([^,，;；。:：、\d]{{0,30}}?)(基本)?持平")).expect("static regex"))
}

/// The kind of document a change is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prior {
    Budget,
    Final,
    /// 预算执行数: the budget as executed during the year, printed in no disclosure.
    Execution,
    /// No basis word: the document's own kind.
    Same,
}

#[derive(Debug, Clone)]
struct PriorRef {
    start: usize,
    end: usize,
    year: Option<u32>,
    prior: Prior,
    /// The words between the comparison and 持平 (that name the figure), if any.
    words: String,
}

fn prior_of(c: &regex::Captures) -> PriorRef {
    let m = c.get(0).expect("match");
    let prior = match c.get(2).map(|b| b.as_str()) {
        Some(b) if b.contains("执行") => Prior::Execution,
        Some(b) if b.contains("预算") => Prior::Budget,
        Some(_) => Prior::Final,
        None => Prior::Same,
    };
    let words = c.get(3).map_or("", |w| w.as_str()).to_string();
    PriorRef { start: m.start(), end: m.end(), year: c.get(1).and_then(|y| y.as_str().parse().ok()), prior, words }
}

/// A figure the text states (or names), in the text's unit.
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    pub value: Decimal,
    pub scale: u32,
    pub unit: &'static str,
    /// The words that name it, normalized.
    pub subject: String,
    /// The table figure of this document it is, where resolved.
    pub target: Option<Target>,
}

#[derive(Debug, Clone)]
pub(crate) enum Said {
    /// 比/与 上年/2024年(预算|决算) 增加/减少/持平 Δ: `dir` +1, -1 or 0 (持平, Δ = 0).
    Change { year: Option<u32>, prior: Prior, dir: i32, delta: Decimal, delta_scale: u32 },
    /// A final account's 年初预算 / 预算数 figure.
    Budget,
}

/// A statement of the text about another document.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub said: Said,
    /// What the statement speaks of; None where the words name no figure that could be found.
    pub figure: Option<Figure>,
    /// The percentage printed with a change (增长/下降 P%).
    pub pct: Option<(Decimal, u32)>,
    pub section: String,
    pub sentence: String,
    pub page: Option<u32>,
}

/// The sentences of a section: split at 。, and at lines that open a numbered item
/// (`(二)…`, `3.`, `- 1.`), since a heading line carries no full stop; lines wrapped
/// inside a sentence are joined without a space (the text is Chinese).
fn sentences_of(text: &str) -> Vec<String> {
    let item = item_re();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if item.is_match(line) && !cur.trim().is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        let line = fold_width(line.trim());
        cur.push_str(&line);
        // A heading line (`(二)结构情况`) is a sentence of its own.
        let heading = item.is_match(&line) && line.chars().count() <= 40 && !line.contains(',') && !line.contains('元') && !line.contains('%');
        if heading {
            out.push(std::mem::take(&mut cur));
        }
        while let Some(i) = cur.find('。') {
            let rest = cur.split_off(i + '。'.len_utf8());
            out.push(std::mem::replace(&mut cur, rest));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// A table figure the words name, with the table's unit.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub table: String,
    pub row: String,
    pub col: String,
    pub value: Decimal,
    pub unit: Option<String>,
    /// Printed blank: zero, at no printed precision of its own.
    pub blank: bool,
}

impl Target {
    /// The precision to compare at: the table's, or the text's where the cell is blank.
    pub(crate) fn scale(&self, text_scale: u32) -> u32 {
        if self.blank {
            text_scale
        } else {
            self.value.scale()
        }
    }

    pub(crate) fn printed(&self) -> String {
        if self.blank {
            "blank (0)".to_string()
        } else {
            format!("{}{}", self.value, self.unit.as_deref().unwrap_or(""))
        }
    }
}

fn first_col(t: &Table, side: Option<&str>) -> Option<String> {
    t.columns.iter().find(|c| c.side.as_deref() == side).map(|c| c.key.clone())
}

pub(crate) fn target(t: &Table, row: &str, col: &str) -> Option<Target> {
    if !t.columns.iter().any(|c| c.key == col) {
        return None;
    }
    // A blank cell of a printed row is zero (the contract's rule). A table printed without
    // a single amount (its rows blank, so none was kept) prints its figures blank: zero too.
    let blank_table = t.rows.iter().all(|r| r.cells.is_empty());
    let value = match t.row(row) {
        Some(r) => r.value(col).map(|a| a.0),
        None if blank_table => None,
        None => return None,
    };
    Some(Target { table: t.id.clone(), row: row.to_string(), col: col.to_string(), value: value.unwrap_or(Decimal::ZERO), unit: t.unit.clone(), blank: value.is_none() })
}

/// The catalogue's narrative phrases, normalized once: per table, per name, its phrases.
fn phrases() -> &'static std::collections::HashMap<&'static str, Vec<Vec<String>>> {
    static P: OnceLock<std::collections::HashMap<&'static str, Vec<Vec<String>>>> = OnceLock::new();
    P.get_or_init(|| {
        catalogue()
            .tables
            .iter()
            .map(|t| (t.id.as_str(), t.narrative.iter().map(|n| n.phrases.iter().map(|p| norm(p)).collect()).collect()))
            .collect()
    })
}

/// The document's tables, the section's own first.
fn tables_preferring<'a>(doc: &'a Document, preferred: Option<&str>) -> Vec<(usize, &'a Table)> {
    let (mut own, others): (Vec<_>, Vec<_>) = doc.tables.iter().enumerate().partition(|(_, t)| Some(t.id.as_str()) == preferred);
    own.extend(others);
    own
}

/// Every row label of the document, normalized once: `labels[table][row]`.
type Labels = Vec<Vec<String>>;

fn labels_of(doc: &Document) -> Labels {
    doc.tables.iter().map(|t| t.rows.iter().map(|r| norm(&r.label)).collect()).collect()
}

/// The table figure a subject names: the catalogue's narrative phrases first (the longest
/// that ends the subject), then a row by its label or class, then a column of a 合计 row.
/// The section's own table is preferred.
fn resolve(doc: &Document, labels: &Labels, subject: &str, basis: Basis, preferred: Option<&str>) -> Option<Target> {
    if subject.chars().count() < 2 {
        return None;
    }
    let order = tables_preferring(doc, preferred);
    let basis_word = if basis == Basis::Budget { "预算数" } else { "决算数" };
    let mut best: Option<(usize, Target)> = None;
    for (_, t) in &order {
        let Some(spec) = catalogue().table(&t.id) else { continue };
        let normalized = phrases().get(t.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        for (n, ps) in spec.narrative.iter().zip(normalized) {
            for p in ps {
                // A budget figure is compared only where the table prints budgets.
                if basis == Basis::Budget && !n.col.contains("{basis}") {
                    continue;
                }
                if subject.ends_with(p.as_str()) && best.as_ref().is_none_or(|b| p.len() > b.0) {
                    let col = n.col.replace("{basis}", basis_word);
                    if let Some(tg) = target(t, &n.row, &col) {
                        best = Some((p.len(), tg));
                    }
                }
            }
        }
    }
    if let Some((_, t)) = best {
        return Some(t);
    }
    if basis == Basis::Budget {
        return None;
    }
    let class = catalogue().function_class(subject).map(str::to_string);
    for &(ti, t) in &order {
        for (ri, r) in t.rows.iter().enumerate() {
            let hit = class.as_deref().is_some_and(|c| r.code.as_deref() == Some(c)) || labels[ti][ri] == subject;
            if hit {
                if let Some(col) = first_col(t, r.side.as_deref()) {
                    return target(t, &r.key, &col);
                }
            }
        }
    }
    for (_, t) in &order {
        let leaf = |k: &str| k.rsplit('/').next().unwrap_or(k).to_string();
        if let Some(c) = t.columns.iter().find(|c| leaf(&c.key).len() >= subject.len() && norm(&leaf(&c.key)) == subject) {
            return target(t, "合计", &c.key);
        }
    }
    None
}

/// A row named by a 类/款/项 chain (`一般公共服务支出(类)财政事务(款)行政运行(项)`).
fn chain_target(doc: &Document, labels: &Labels, sentence: &str, preferred: Option<&str>) -> Option<Target> {
    let s = normalize_label(sentence);
    if !s.contains("(项)") && !s.contains("(款)") {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    let mut rest = s.as_str();
    for marker in ["(类)", "(款)", "(项)"] {
        let Some(i) = rest.find(marker) else { break };
        let name = rest[..i].rsplit(DELIMS).next().unwrap_or(&rest[..i]);
        let name = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '、');
        names.push(name.to_string());
        rest = &rest[i + marker.len()..];
    }
    let class = catalogue().function_class(names.first()?)?;
    for (ti, t) in tables_preferring(doc, preferred) {
        let mut code = class.to_string();
        let mut found = true;
        for name in &names[1..] {
            match t.rows.iter().enumerate().find(|(ri, r)| {
                r.code.as_deref().is_some_and(|c| c.len() == code.len() + 2 && c.starts_with(&code)) && labels[ti][*ri] == *name
            }) {
                Some((_, r)) => code = r.key.clone(),
                None => {
                    found = false;
                    break;
                }
            }
        }
        if found && code.len() > 3 {
            let col = first_col(t, None)?;
            return target(t, &code, &col);
        }
    }
    None
}


/// Convert a table value to the text's unit.
pub(crate) fn in_unit(v: Decimal, from: Option<&str>, to: &str) -> Decimal {
    let factor = |u: &str| match u {
        "元" => Decimal::ONE,
        "万元" => Decimal::from(10_000),
        "亿元" => Decimal::from(100_000_000),
        _ => Decimal::ONE,
    };
    match from {
        // Checked: a value too large to convert compares as the largest, never panics.
        Some(f) => v.checked_mul(factor(f)).map(|x| x / factor(to)).or_else(|| (v / factor(to)).checked_mul(factor(f))).unwrap_or(Decimal::MAX),
        None => v,
    }
}

pub(crate) fn round(v: Decimal, scale: u32) -> Decimal {
    v.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero)
}

/// The table each section speaks of: the one whose title stem its heading contains.
fn section_table(doc: &Document, s: &Section) -> Option<String> {
    let heading = norm(&s.title);
    doc.tables
        .iter()
        .filter_map(|t| {
            let title = norm(&t.title);
            let stem = title.trim_end_matches("表").trim_end_matches("决算").trim_end_matches("明细").trim_end_matches("决算").to_string();
            (stem.chars().count() >= 2 && heading.contains(&stem)).then(|| (stem.len(), t.id.clone()))
        })
        .max()
        .map(|x| x.1)
}

/// A printed percentage against part / whole × 100, allowing the rounding of all three
/// printed values: (expected, tolerance, None when it holds). None for a zero whole.
pub(crate) fn grade_ratio(pct: (Decimal, u32), part: (Decimal, u32), whole: (Decimal, u32)) -> Option<(Decimal, Decimal, Option<Severity>)> {
    if whole.0.is_zero() {
        return None;
    }
    // Checked: amounts come from the document, and a huge one must not panic.
    let hundred = Decimal::from(100);
    let expected = part.0.checked_div(whole.0)?.checked_mul(hundred)?;
    let rel = half_unit(part.1).checked_div(whole.0.abs())?.checked_add(part.0.abs().checked_mul(half_unit(whole.1))?.checked_div(whole.0)?.checked_div(whole.0)?.abs())?;
    let tol = half_unit(pct.1).checked_add(hundred.checked_mul(rel)?)?;
    let off = expected.checked_sub(pct.0)?.abs();
    // One unit of the last digit more is the adjustment that makes shares add to 100%.
    let severity = if off <= tol {
        None
    } else if off <= tol + Decimal::new(1, pct.1) {
        Some(Severity::Notice)
    } else {
        Some(Severity::Error)
    };
    Some((expected, tol, severity))
}

struct Cx<'a> {
    doc: &'a Document,
    labels: &'a Labels,
    part: &'a Part,
    section: &'a Section,
    out: Vec<Outcome>,
    said: Vec<Statement>,
}

impl Cx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn record(&mut self, rule: &str, holds: bool, sentence: &str, target: Option<&Target>, expected: Decimal, actual: Decimal, tol: Decimal, message: String) {
        let (place, sentence) = self.place(sentence);
        self.record_graded(rule, if holds { None } else { Some(Severity::Error) }, sentence, target, expected, actual, tol, message, place);
    }

    fn place(&self, sentence: &str) -> (String, String) {
        let place = format!("第{}部分 {}、{}", self.part.number, self.section.ordinal, self.section.title);
        (place, sentence.chars().take(120).collect::<String>().trim().to_string())
    }

    /// `severity` None: the statement holds.
    #[allow(clippy::too_many_arguments)]
    fn record_graded(&mut self, rule: &str, severity: Option<Severity>, sentence: String, target: Option<&Target>, expected: Decimal, actual: Decimal, tol: Decimal, message: String, place: String) {
        self.out.push(Outcome {
            holds_exactly: severity.is_none(),
            finding: Finding {
                row: target.map(|t| t.row.clone()),
                col: target.map(|t| t.col.clone()),
                section: Some(place),
                sentence: Some(sentence),
                page: self.section.at.page,
                expected: expected.normalize().to_string(),
                actual: actual.normalize().to_string(),
                diff: actual.checked_sub(expected).map_or_else(|| "beyond exact decimals".into(), |d| d.normalize().to_string()),
                tolerance: tol.normalize().to_string(),
                ..crate::finding(
                    rule,
                    severity.unwrap_or(Severity::Notice),
                    &target.map(|t| t.table.clone()).unwrap_or_else(|| format!("第{}部分", self.part.number)),
                    message,
                )
            },
        });
    }

    /// A percentage against part/whole×100, allowing the rounding of all three printed values.
    #[allow(clippy::too_many_arguments)]
    fn ratio(&mut self, rule: &str, sentence: &str, pct: &Mention, part: (Decimal, u32), whole: (Decimal, u32), what: String) {
        let Some((expected, tol, severity)) = grade_ratio((pct.value, pct.scale), part, whole) else { return };
        let shown = round(expected, pct.scale + 2);
        let (place, sentence) = self.place(sentence);
        self.record_graded(rule, severity, sentence, None, shown, pct.value, tol.round_dp(4), format!("{what}: the text says {}%, the amounts give {}%", pct.value, round(expected, pct.scale)), place);
    }

    fn run(&mut self) {
        let preferred = section_table(self.doc, self.section);
        let text = sentences_of(&self.section.text).join("");
        let mut anchor: Option<(Decimal, u32)> = None;
        let mut last_budget: Option<(Decimal, u32)> = None;
        let mut last_actual: Option<(Decimal, u32, Option<Target>)> = None;
        let mut last_amount: Option<(Decimal, u32)> = None;
        let mut pending_change: Option<(Decimal, u32, i32, Decimal, u32)> = None;
        let budget_doc = self.doc.metadata.kind.as_deref() == Some("budget");
        // Statements about other documents: the 类/款/项 chain a numbered item opened with
        // (its 年初预算 follows in a later sentence), the last amount of the sentence before.
        let mut carried_chain: Option<Target> = None;
        let mut prev_last: Option<Figure> = None;
        let mut pending_said: Option<usize> = None;
        for sentence in sentences_of(&self.section.text) {
            let sentence = sentence.as_str();
            let ms = mentions(sentence, budget_doc);
            let chain = chain_target(self.doc, self.labels, sentence, preferred.as_deref());
            if chain.is_some() {
                last_budget = None;
                last_actual = None;
            }
            if chain.is_some() || item_re().is_match(sentence) {
                carried_chain = chain.clone();
            }
            let priors: Vec<PriorRef> = prior_re().captures_iter(sentence).map(|c| prior_of(&c)).collect();
            let flats: Vec<PriorRef> = flat_re().captures_iter(sentence).filter(|c| c.get(4).is_none()).map(|c| prior_of(&c)).collect();
            let mut flat_i = 0;
            let mut last_fig: Option<Figure> = None;
            // What the sentence is about: a 类/款/项 chain, else the last subject it named.
            let mut sentence_subject: Option<Target> = None;
            let mut cur_budget: Option<(Decimal, u32)> = None;
            for (i, m) in ms.iter().enumerate() {
                // The words between this number and the next.
                let next_words = &sentence[m.end..ms.get(i + 1).map_or(sentence.len(), |n| n.start)];
                self.flats(sentence, &flats, &mut flat_i, m.start, (last_fig.as_ref(), prev_last.as_ref()), preferred.as_deref());
                match m.unit {
                    Some(unit) => {
                        let bare = m.subject.is_empty() || m.subject == "支出";
                        let subject_target = match (bare, m.basis) {
                            (false, b) => {
                                // `“…(类)…(款)行政运行(项)”938.99万元`: the chain names the figure.
                                let named_by_chain = chain.as_ref().filter(|c| {
                                    self.doc.table(&c.table).and_then(|t| t.row(&c.row)).is_some_and(|r| m.subject.ends_with(&norm(&r.label)))
                                });
                                let t = named_by_chain.cloned().or_else(|| resolve(self.doc, self.labels, &m.subject, b, preferred.as_deref()));
                                if m.change == 0 {
                                    let actual = resolve(self.doc, self.labels, &m.subject, Basis::Actual, preferred.as_deref());
                                    sentence_subject = actual;
                                }
                                t
                            }
                            (true, Basis::Actual) => chain.clone().or_else(|| sentence_subject.clone()),
                            (true, Basis::Budget) => None,
                        };
                        if m.change != 0 {
                            if let Some(p) = priors.iter().rev().find(|p| p.end <= m.start) {
                                // The words that name the figure, without the comparison words.
                                let raw = if p.start >= m.clause_start {
                                    format!("{}{}", &sentence[m.clause_start..p.start], &sentence[p.end..m.start])
                                } else {
                                    sentence[m.clause_start..m.start].to_string()
                                };
                                let subject = read_words(&raw, budget_doc).2;
                                let figure = if subject.is_empty() || subject == "支出" {
                                    last_fig.clone()
                                } else {
                                    resolve(self.doc, self.labels, &subject, Basis::Actual, preferred.as_deref()).map(|t| Figure {
                                        value: in_unit(t.value, t.unit.as_deref(), unit),
                                        scale: m.scale,
                                        unit,
                                        subject: subject.clone(),
                                        target: Some(t),
                                    })
                                };
                                let said = Said::Change { year: p.year, prior: p.prior, dir: m.change, delta: m.value, delta_scale: m.scale };
                                pending_said = Some(self.said.len());
                                self.state(said, figure, sentence);
                            }
                            let current = resolve(self.doc, self.labels, &m.subject, Basis::Actual, preferred.as_deref())
                                .map(|t| (in_unit(t.value, t.unit.as_deref(), unit), t.value.scale()))
                                .or(last_amount);
                            if let Some((c, cs)) = current {
                                pending_change = Some((m.value, m.scale, m.change, c, cs));
                            }
                        } else if let Some(t) = &subject_target {
                            let table_v = in_unit(t.value, t.unit.as_deref(), unit);
                            let expected = round(table_v, m.scale.min(t.scale(m.scale)));
                            let got = round(m.value, m.scale.min(t.scale(m.scale)));
                            let holds = expected == got;
                            let slip = ["元", "万元", "亿元"].iter().any(|u| *u != unit && round(in_unit(t.value, t.unit.as_deref(), u), m.scale) == m.value && !m.value.is_zero());
                            let rule = if !holds && slip { "narrative.unit" } else { "narrative.amount" };
                            let what = if !holds && slip {
                                format!("`{}` is {}{} in the table; the text states {}{} — the unit is wrong", m.words, t.value, t.unit.as_deref().unwrap_or(""), m.value, unit)
                            } else {
                                format!("`{}` states {}{}; the table ({} {} {}) prints {}", m.words, m.value, unit, t.table, t.row, t.col, t.printed())
                            };
                            self.record(rule, holds, sentence, Some(t), expected, got, half_unit(m.scale), what);
                        }
                        match m.basis {
                            Basis::Budget => {
                                last_budget = Some((m.value, m.scale));
                                cur_budget = last_budget;
                            }
                            Basis::Actual if m.change == 0 => last_actual = Some((m.value, m.scale, subject_target.clone())),
                            _ => {}
                        }
                        if m.change == 0 {
                            last_amount = Some((m.value, m.scale));
                            let own = if m.basis == Basis::Budget {
                                // The figure a 年初预算 belongs to: its table's 预算数, else the
                                // figure its words (or the item's chain) name.
                                subject_target.clone().or_else(|| {
                                    if bare {
                                        chain.clone().or_else(|| carried_chain.clone())
                                    } else {
                                        resolve(self.doc, self.labels, &m.subject, Basis::Actual, preferred.as_deref())
                                    }
                                })
                            } else {
                                subject_target.clone()
                            };
                            let fig = Figure { value: m.value, scale: m.scale, unit, subject: m.subject.clone(), target: own };
                            if m.basis == Basis::Budget && !budget_doc {
                                self.state(Said::Budget, Some(fig.clone()), sentence);
                            }
                            last_fig = Some(fig);
                        }
                        if vocab().parts_follow.iter().any(|w| next_words.contains(w.as_str())) && m.change == 0 {
                            anchor = Some((m.value, m.scale));
                            self.parts(sentence, m, &ms[i + 1..]);
                        }
                    }
                    None => {
                        let w = &m.words;
                        if let Some(i) = pending_said {
                            if vocab().up.iter().chain(&vocab().down).any(|x| w.ends_with(x.as_str())) {
                                self.said[i].pct = Some((m.value, m.scale));
                                pending_said = None;
                            }
                        }
                        if w.contains("完成") && w.contains("预算") {
                            let b = last_actual.as_ref().map(|l| (l.0, l.1));
                            let budget = cur_budget.or_else(|| {
                                // The budget of the same figure, from the table.
                                let t = last_actual.as_ref()?.2.as_ref()?;
                                let col = t.col.replacen("决算数", "预算数", 1);
                                (col != t.col).then_some(())?;
                                let tb = self.doc.table(&t.table)?;
                                target(tb, &t.row, &col).map(|x| (x.value, x.value.scale()))
                            });
                            if let (Some(b), Some(a)) = (b, budget) {
                                self.ratio("narrative.rate", sentence, m, b, a, "completion rate (决算 / 预算)".into());
                            }
                        } else if let Some(pos) = w.rfind('占') {
                            let base_words = w[pos + '占'.len_utf8()..].trim_end_matches('的').to_string();
                            let base = if base_words.is_empty() {
                                anchor
                            } else {
                                resolve(self.doc, self.labels, &strip_suffixes(base_words, &vocab().verbs), Basis::Actual, preferred.as_deref())
                                    .map(|t| (t.value, t.value.scale()))
                                    .or(anchor)
                            };
                            let part = ms[..i].iter().rev().find(|p| p.unit.is_some() && p.change == 0).map(|p| (p.value, p.scale));
                            if let (Some(part), Some(base)) = (part, base) {
                                self.ratio("narrative.share", sentence, m, part, base, "share (占)".into());
                            }
                        } else if let Some((d, ds, dir, c, cs)) = pending_change {
                            let pdir = if vocab().up.iter().any(|x| w.ends_with(x.as_str())) {
                                1
                            } else if vocab().down.iter().any(|x| w.ends_with(x.as_str())) {
                                -1
                            } else {
                                0
                            };
                            if pdir != 0 {
                                pending_change = None;
                                if pdir != dir {
                                    self.record(
                                        "narrative.direction",
                                        false,
                                        sentence,
                                        None,
                                        Decimal::from(dir),
                                        Decimal::from(pdir),
                                        Decimal::ZERO,
                                        format!("the amount {} but the percentage {}", if dir > 0 { "increases" } else { "decreases" }, if pdir > 0 { "increases" } else { "decreases" }),
                                    );
                                }
                                let previous = if dir > 0 { c.checked_sub(d) } else { c.checked_add(d) };
                                if let Some(previous) = previous {
                                    self.ratio("narrative.change", sentence, m, (d, ds), (previous, cs.max(ds)), "rate of change (变动额 / 上年数)".into());
                                }
                            }
                        }
                    }
                }
            }
            self.flats(sentence, &flats, &mut flat_i, sentence.len(), (last_fig.as_ref(), prev_last.as_ref()), preferred.as_deref());
            pending_said = None;
            prev_last = last_fig;
            self.comparison(sentence, last_budget, last_actual.as_ref().map(|l| (l.0, l.1)));
        }
        self.counts(&text);
    }

    fn state(&mut self, said: Said, figure: Option<Figure>, sentence: &str) {
        let (section, sentence) = self.place(sentence);
        self.said.push(Statement { said, figure, pct: None, section, sentence, page: self.section.at.page });
    }

    /// `与2024年预算持平` before `limit`: the figure is the amount before it in the sentence,
    /// or, where the sentence opens with it, the last amount of the sentence before.
    /// Where the words name the figure (…相比，财政拨款收入支出总计持平) it is the table's.
    fn flats(&mut self, sentence: &str, flats: &[PriorRef], next: &mut usize, limit: usize, (last, prev): (Option<&Figure>, Option<&Figure>), preferred: Option<&str>) {
        while let Some(f) = flats.get(*next).filter(|f| f.start < limit) {
            *next += 1;
            let subject = read_words(&f.words, self.doc.metadata.kind.as_deref() == Some("budget")).2;
            let figure = if subject.is_empty() {
                let opens = sentence[..f.start].chars().all(|c| !c.is_alphanumeric() && !is_cjk(c));
                last.or(if opens { prev } else { None }).cloned()
            } else {
                resolve(self.doc, self.labels, &subject, Basis::Actual, preferred).map(|t| {
                    let unit = match t.unit.as_deref() {
                        Some("万元") => "万元",
                        Some("亿元") => "亿元",
                        _ => "元",
                    };
                    Figure { value: t.value, scale: t.scale(2), unit, subject: subject.clone(), target: Some(t) }
                })
            };
            let scale = figure.as_ref().map_or(2, |x| x.scale);
            self.state(Said::Change { year: f.year, prior: f.prior, dir: 0, delta: Decimal::ZERO, delta_scale: scale }, figure, sentence);
        }
    }

    /// 大于/小于/等于/持平 between 决算数 and 预算数 must agree with the amounts.
    fn comparison(&mut self, sentence: &str, budget: Option<(Decimal, u32)>, actual: Option<(Decimal, u32)>) {
        let s = normalize_label(sentence);
        let (Some(a), Some(b)) = (budget, actual) else { return };
        if !(s.contains("决算") && s.contains("预算")) {
            return;
        }
        let (word, ok) = if s.contains("决算数小于") || s.contains("决算小于") || s.contains("决算数低于") {
            ("小于", b.0 < a.0)
        } else if s.contains("决算数大于") || s.contains("决算大于") || s.contains("决算数高于") {
            ("大于", b.0 > a.0)
        } else if (s.contains("等于") || s.contains("持平")) && !s.contains("基本持平") && !s.contains("不等于") {
            ("等于", b.0 == a.0)
        } else {
            return;
        };
        self.record(
            "narrative.compare",
            ok,
            sentence,
            None,
            a.0,
            b.0,
            Decimal::ZERO,
            format!("the text says 决算数 {word} 预算数; 决算 {} vs 预算 {}", b.0, a.0),
        );
    }

    /// Parts listed after 其中 may not exceed their whole (beyond rounding).
    fn parts(&mut self, sentence: &str, whole: &Mention, rest: &[Mention]) {
        let parts: Vec<&Mention> = rest.iter().filter(|p| p.unit == whole.unit && p.change == 0 && p.basis == whole.basis).collect();
        if parts.len() < 2 {
            return;
        }
        let tol = half_unit(parts.iter().map(|p| p.scale).chain([whole.scale]).min().unwrap_or(2)) * Decimal::from(parts.len() as u64 + 1);
        let Some(sum) = parts.iter().try_fold(Decimal::ZERO, |a, p| a.checked_add(p.value)) else { return };
        let Some(limit) = whole.value.checked_add(tol) else { return };
        let holds = sum <= limit;
        self.record(
            "narrative.parts",
            holds,
            sentence,
            None,
            whole.value,
            sum,
            tol,
            format!("`{}` {}{} and its parts listed after 其中 add up to {}", whole.words, whole.value, whole.unit.unwrap_or(""), sum),
        );
    }

    /// Rated projects add up to the projects self-evaluated (绩效自评的项目N个 = 优+良+合格+不合格).
    fn counts(&mut self, text: &str) {
        static R: OnceLock<[Regex; 2]> = OnceLock::new();
        let [total, rated] = R.get_or_init(|| {
            [
                Regex::new(r"绩效自评的[^。；;]*?项目\s*(\d+)\s*个").expect("static regex"),
                Regex::new(r#"评级为\s*["“”]?(优|良|合格|不合格|中|差)["“”]?\s*的项目\s*(\d+)\s*个"#).expect("static regex"),
            ]
        });
        let Some(n) = total.captures(text).and_then(|c| c[1].parse::<i64>().ok()) else { return };
        let grades: Vec<i64> = rated.captures_iter(text).filter_map(|c| c[2].parse().ok()).collect();
        if grades.len() < 2 {
            return;
        }
        let sum: i64 = grades.iter().sum();
        let sentence = text.split('。').find(|s| total.is_match(s)).unwrap_or("").to_string();
        self.record(
            "narrative.count",
            sum == n,
            &sentence,
            None,
            Decimal::from(n),
            Decimal::from(sum),
            Decimal::ZERO,
            format!("{n} projects self-evaluated, but the projects by rating add up to {sum}"),
        );
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Every statement of the narrative that could be checked, held or not.
pub fn outcomes(doc: &Document) -> Vec<Outcome> {
    read(doc).0
}

/// What the text says of other documents (changes against past years, 年初预算 figures),
/// read by the same pass that checks it against its own tables.
pub(crate) fn statements(doc: &Document) -> Vec<Statement> {
    read(doc).1
}

fn read(doc: &Document) -> (Vec<Outcome>, Vec<Statement>) {
    let mut out = Vec::new();
    let mut said = Vec::new();
    let labels = labels_of(doc);
    // Final accounts: 第三部分 情况说明. Budgets: every explanation (numbered 0).
    for part in doc.narrative.iter().filter(|p| p.number == 3 || p.number == 0) {
        // Text before the first numbered section is read as a section of its own.
        let lead = (!part.text.trim().is_empty())
            .then(|| Section { ordinal: String::new(), title: part.title.clone(), text: part.text.clone(), at: part.at });
        for section in lead.iter().chain(&part.sections) {
            let mut cx = Cx { doc, labels: &labels, part, section, out: Vec::new(), said: Vec::new() };
            cx.run();
            out.extend(cx.out);
            said.extend(cx.said);
        }
    }
    (out, said)
}

/// The figure of `doc` that `subject` names (as the narrative resolves its words).
pub(crate) fn figure_named(doc: &Document, subject: &str) -> Option<Target> {
    resolve(doc, &labels_of(doc), subject, Basis::Actual, None)
}
