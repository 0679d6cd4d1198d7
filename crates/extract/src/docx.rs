//! Word (placeholder)
use crate::{ExtractError, LaidOut};
pub fn read_docx(_b: &[u8]) -> Result<LaidOut, ExtractError> {
    Err(ExtractError::Unsupported("docx".into()))
}
