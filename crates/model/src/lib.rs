//! The canonical model of a disclosure and the domain knowledge every stage shares:
//! exact amounts, label normalization, and the catalogues (tables, classification codes,
//! label aliases) loaded from the data files under `data/`.

pub mod amount;
pub mod catalogue;
pub mod document;
pub mod label;

pub use amount::{parse_amount, Amount};
pub use catalogue::{catalogue, Catalogue, CodeKind, Layout, TableSpec};
pub use document::*;
pub use label::{compact, edit_distance, fold_width, nearest_label, normalize_label, strip_ordinal};
