//! Layout text (placeholder, filled below).
use crate::text::TextEncoding;
use crate::{ExtractError, LaidOut};
pub fn read_layout(_s: &str, _enc: TextEncoding) -> Result<LaidOut, ExtractError> {
    Err(ExtractError::Unsupported("layout text".into()))
}
