//! The catalogues, read once from the JSON data files compiled into the binary.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::label::normalize_label;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    TwoSided,
    Coded,
    BasicDetail,
    SingleRow,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SideSpec {
    pub side: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TableSpec {
    pub id: String,
    pub kind: String,
    pub layout: Layout,
    pub titles: Vec<String>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub sides: Vec<SideSpec>,
    /// A two-sided summary's printed row labels by side (normalized): the vocabulary OCR
    /// matches a misread row label to.
    #[serde(default)]
    pub rows: std::collections::BTreeMap<String, Vec<String>>,
    /// Header bands that span all value columns and are not part of column keys.
    #[serde(default)]
    pub drop_bands: Vec<String>,
    /// How the narrative names this table's figures.
    #[serde(default)]
    pub narrative: Vec<NarrativeName>,
    /// Row identities across columns: total = Σ parts on every row printing the total.
    #[serde(default)]
    pub row_sums: Vec<RowSum>,
    /// Whether 类 = Σ款 = Σ项 and 合计 = Σ类 hold in every column.
    #[serde(default)]
    pub hierarchy: bool,
    /// 基本支出 detail lines that are part of one of this table's figures (三公 ⊇ 30217 …).
    #[serde(default)]
    pub detail_lines: Vec<DetailLine>,
    /// The budget table that prints this final account table's 年初预算 figures.
    #[serde(default)]
    pub budget_counterpart: Option<Counterpart>,
    /// The classification whose codes key the rows of a coded table.
    #[serde(default)]
    pub codes: Option<CodeKind>,
}

/// A classification of government expenditure whose codes key table rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// 支出功能分类: 类 (3 digits), 款 (5), 项 (7).
    Function,
    /// 部门预算支出经济分类: 类 (3), 款 (5).
    Economic,
}

/// A table of another document kind holding the same figures: same row keys, columns
/// renamed by `cols` where its names differ.
#[derive(Debug, Clone, Deserialize)]
pub struct Counterpart {
    pub table: String,
    #[serde(default)]
    pub cols: std::collections::BTreeMap<String, String>,
}

impl Counterpart {
    pub fn col<'a>(&'a self, col: &'a str) -> &'a str {
        self.cols.get(col).map(String::as_str).unwrap_or(col)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DetailLine {
    pub code: String,
    pub col: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RowSum {
    pub total: String,
    pub parts: Vec<String>,
}

/// Phrases of the 情况说明 that name one figure of a table.
#[derive(Debug, Clone, Deserialize)]
pub struct NarrativeName {
    pub phrases: Vec<String>,
    pub row: String,
    /// The column key; `{basis}` stands for 预算数 or 决算数 as the sentence says.
    pub col: String,
}

#[derive(Debug, Deserialize)]
struct TablesFile {
    tables: Vec<TableSpec>,
    row_children: Vec<RowChildren>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RowChildren {
    pub parent: String,
    pub children: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct FunctionFile {
    classes: Vec<(String, String)>,
    aliases: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
struct EconClass {
    code: String,
    name: String,
    group: usize,
    funding: String,
    items: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
struct EconFile {
    classes: Vec<EconClass>,
}

#[derive(Debug, Deserialize)]
struct LabelsFile {
    aliases: Vec<(String, String)>,
    header_words: Vec<String>,
    value_headers: Vec<String>,
    code_headers: Vec<String>,
    scope_words: ScopeWords,
    narrative_words: NarrativeWords,
}

/// How the narrative words its figures (labels.json `narrative_words`).
#[derive(Debug, Default, Deserialize)]
pub struct NarrativeWords {
    pub verbs: Vec<String>,
    pub basis: Vec<String>,
    pub budget: Vec<String>,
    pub up: Vec<String>,
    pub down: Vec<String>,
    pub parts_follow: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ScopeWords {
    unit: Vec<String>,
    department: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct EconCode {
    pub code: String,
    pub name: String,
    /// Side-by-side column group of the class in the standard detail print.
    pub group: usize,
    /// `人员经费` or `公用经费`: the closing row the class adds into.
    pub funding: String,
}

pub struct Catalogue {
    pub tables: Vec<TableSpec>,
    pub row_children: Vec<RowChildren>,
    /// normalized class name -> function class code
    function_by_name: HashMap<String, String>,
    pub function_names: HashMap<String, String>,
    pub econ: Vec<EconCode>,
    econ_by_code: HashMap<String, usize>,
    label_aliases: HashMap<String, String>,
    header_words: Vec<String>,
    value_headers: Vec<String>,
    code_headers: Vec<String>,
    scope_words: ScopeWords,
    pub narrative_words: NarrativeWords,
}

static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();

/// The process-wide catalogue (parsed from the embedded data files on first use).
pub fn catalogue() -> &'static Catalogue {
    CATALOGUE.get_or_init(Catalogue::load)
}

impl Catalogue {
    fn load() -> Catalogue {
        // The data files are part of the build; a malformed one is a build defect that
        // the unit tests catch, so failing loudly here is right.
        let tables: TablesFile =
            serde_json::from_str(include_str!("../data/tables.json")).expect("data/tables.json");
        let func: FunctionFile = serde_json::from_str(include_str!("../data/function_classes.json"))
            .expect("data/function_classes.json");
        let econ: EconFile = serde_json::from_str(include_str!("../data/economic_codes.json"))
            .expect("data/economic_codes.json");
        let labels: LabelsFile =
            serde_json::from_str(include_str!("../data/labels.json")).expect("data/labels.json");
        let mut function_by_name = HashMap::new();
        let mut function_names = HashMap::new();
        for (code, name) in &func.classes {
            function_by_name.insert(normalize_label(name), code.clone());
            function_names.insert(code.clone(), name.clone());
        }
        for (name, code) in &func.aliases {
            function_by_name.insert(normalize_label(name), code.clone());
        }
        let mut econ_codes = Vec::new();
        for c in &econ.classes {
            econ_codes.push(EconCode { code: c.code.clone(), name: c.name.clone(), group: c.group, funding: c.funding.clone() });
            for (code, name) in &c.items {
                econ_codes.push(EconCode { code: code.clone(), name: name.clone(), group: c.group, funding: c.funding.clone() });
            }
        }
        let econ_by_code = econ_codes.iter().enumerate().map(|(i, e)| (e.code.clone(), i)).collect();
        let label_aliases = labels
            .aliases
            .iter()
            .map(|(a, b)| (normalize_label(a), normalize_label(b)))
            .collect();
        Catalogue {
            tables: tables.tables,
            row_children: tables.row_children,
            function_by_name,
            function_names,
            econ: econ_codes,
            econ_by_code,
            label_aliases,
            header_words: labels.header_words.iter().map(|w| normalize_label(w)).collect(),
            value_headers: labels.value_headers.iter().map(|w| normalize_label(w)).collect(),
            code_headers: labels.code_headers.iter().map(|w| normalize_label(w)).collect(),
            scope_words: labels.scope_words,
            narrative_words: labels.narrative_words,
        }
    }

    pub fn table(&self, id: &str) -> Option<&TableSpec> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// Recognise a table title: the normalized line must end with a catalogue title,
    /// the longest match wins (财政拨款收入支出决算总表 before 收入支出决算总表).
    pub fn match_title(&self, normalized: &str) -> Option<&TableSpec> {
        let mut best: Option<(&TableSpec, usize)> = None;
        for t in &self.tables {
            for title in &t.titles {
                let title = normalize_label(title);
                if normalized.ends_with(&title) && best.is_none_or(|b| title.len() > b.1) {
                    best = Some((t, title.len()));
                }
            }
        }
        best.map(|b| b.0)
    }

    /// The standard form of a normalized label (alias table), or the label itself.
    pub fn standard_label<'a>(&'a self, normalized: &'a str) -> &'a str {
        self.label_aliases.get(normalized).map(|s| s.as_str()).unwrap_or(normalized)
    }

    /// Function class code for a class line label such as `一般公共服务支出`.
    pub fn function_class(&self, normalized: &str) -> Option<&str> {
        let n = self.standard_label(normalized);
        if let Some(c) = self.function_by_name.get(n) {
            return Some(c);
        }
        // `一般公共服务(类)支出` / `一般公共服务` are printed too.
        let stripped = n.replace("(类)", "");
        self.function_by_name
            .get(&stripped)
            .or_else(|| self.function_by_name.get(&format!("{stripped}支出")))
            .map(|s| s.as_str())
    }

    /// Is `code` a code of the classification the catalogue knows: a function 类, or a
    /// 款/项 under one (the catalogue lists the classes; the 款 and 项 below them change
    /// from year to year), an economic 类 or 款 it lists.
    pub fn knows_code(&self, kind: CodeKind, code: &str) -> bool {
        if !code.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        match kind {
            CodeKind::Function => matches!(code.len(), 3 | 5 | 7) && self.function_names.contains_key(&code[..3]),
            CodeKind::Economic => self.econ_by_code.contains_key(code),
        }
    }

    /// The catalogue's name of a code: a function class's, an economic class's or 款's.
    pub fn code_name(&self, kind: CodeKind, code: &str) -> Option<&str> {
        match kind {
            CodeKind::Function => self.function_names.get(code).map(String::as_str),
            CodeKind::Economic => self.econ(code).map(|e| e.name.as_str()),
        }
    }

    pub fn econ(&self, code: &str) -> Option<&EconCode> {
        self.econ_by_code.get(code).map(|&i| &self.econ[i])
    }

    /// Economic codes whose standard name equals the normalized label.
    pub fn econ_by_name(&self, normalized: &str) -> Vec<&EconCode> {
        self.econ.iter().filter(|e| normalize_label(&e.name) == normalized).collect()
    }

    /// The label aliases: a printed (normalized) form and the standard label it stands for.
    pub fn label_aliases(&self) -> impl Iterator<Item = (&str, &str)> {
        self.label_aliases.iter().map(|(a, b)| (a.as_str(), b.as_str()))
    }

    /// The words only a header holds, and the headers of an amount column (normalized).
    pub fn header_words(&self) -> impl Iterator<Item = &str> {
        self.header_words.iter().chain(&self.value_headers).map(String::as_str)
    }

    /// A header word (项目, 科目编码, 栏次 …), or a cell that contains a code/name caption.
    pub fn is_header_word(&self, normalized: &str) -> bool {
        self.header_words.iter().any(|w| w == normalized) || normalized.contains("科目编码") || normalized.contains("科目名称")
    }

    /// The scope a line of text states (`unit` / `department`), if any.
    pub fn scope_of(&self, text: &str) -> Option<&'static str> {
        let w = &self.scope_words;
        if w.unit.iter().any(|x| text.contains(x.as_str())) {
            Some("unit")
        } else if w.department.iter().any(|x| text.contains(x.as_str())) {
            Some("department")
        } else {
            None
        }
    }

    /// A header of a classification-code column (科目编码, 类 …): never an amount column.
    pub fn is_code_header(&self, normalized: &str) -> bool {
        self.code_headers.iter().any(|w| w == normalized)
    }

    /// A header that heads an amount column whatever the table calls it (决算数, 金额 …).
    pub fn is_value_header(&self, normalized: &str) -> bool {
        self.value_headers.iter().any(|w| w == normalized)
    }

    pub fn children_of(&self, parent: &str) -> Option<&[String]> {
        self.row_children.iter().find(|r| r.parent == parent).map(|r| r.children.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every two-sided summary names its rows, on the sides it has, normalized.
    #[test]
    fn two_sided_tables_name_their_rows() {
        let c = catalogue();
        let two_sided: Vec<&TableSpec> = c.tables.iter().filter(|t| t.layout == Layout::TwoSided).collect();
        assert_eq!(two_sided.len(), 4);
        for t in two_sided {
            let mut sides: Vec<&str> = t.sides.iter().map(|s| s.side.as_str()).collect();
            sides.sort_unstable();
            assert_eq!(t.rows.keys().map(String::as_str).collect::<Vec<_>>(), sides, "{}", t.id);
            for r in t.rows.values().flatten() {
                assert_eq!(&crate::normalize_label(r), r, "{}", t.id);
            }
        }
    }

    #[test]
    fn data_files_load_and_titles_match_longest() {
        let c = catalogue();
        assert_eq!(c.tables.iter().filter(|t| t.kind == "final_accounts").count(), 9);
        assert_eq!(c.tables.iter().filter(|t| t.kind == "budget").count(), 9);
        // Budgets: a leading year and scope word are only a longer prefix; 财政拨款收支 before 财务收支.
        assert_eq!(c.match_title("2025年部门财政拨款收支预算总表").unwrap().id, "budget_fiscal_summary");
        assert_eq!(c.match_title("2026年预算单位财务收支预算总表").unwrap().id, "budget_income_expenditure_summary");
        assert_eq!(c.match_title("2025年单位三公经费和机关运行经费预算表").unwrap().id, "budget_three_public");
        assert_eq!(c.match_title("财政拨款收入支出决算总表").unwrap().id, "fiscal_summary");
        assert_eq!(c.match_title("收入支出决算总表").unwrap().id, "income_expenditure_summary");
        assert_eq!(c.match_title("2024年度支出决算表").unwrap().id, "expenditure");
        assert_eq!(c.match_title("一般公共预算财政拨款支出决算表").unwrap().id, "general_budget_expenditure");
        assert_eq!(c.match_title("一般公共预算财政拨款三公经费支出决算表").unwrap().id, "three_public");
        assert!(c.match_title("收入决算情况说明").is_none());
        assert_eq!(c.function_class("灾害防治及应急管理支出"), Some("224"));
        assert_eq!(c.econ("30217").unwrap().name, "公务接待费");
        assert_eq!(c.standard_label("上级补肋收入"), "上级补助收入");
        // Row codes: function 类/款/项 under a listed class, economic codes as listed.
        assert!(c.knows_code(CodeKind::Function, "2080505") && c.knows_code(CodeKind::Function, "201"));
        assert!(!c.knows_code(CodeKind::Function, "30299") && !c.knows_code(CodeKind::Function, "2080"));
        assert!(c.knows_code(CodeKind::Economic, "30299") && !c.knows_code(CodeKind::Economic, "30298"));
        assert_eq!(c.code_name(CodeKind::Economic, "30299"), Some("其他商品和服务支出"));
        assert_eq!(c.table("income").unwrap().codes, Some(CodeKind::Function));
        assert_eq!(c.table("budget_general_budget_basic_expenditure").unwrap().codes, Some(CodeKind::Economic));
        assert_eq!(c.table("unknown").unwrap().codes, None);
    }
}
