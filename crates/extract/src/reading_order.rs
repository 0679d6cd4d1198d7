//! Reading-order text (placeholder, filled below).
use crate::text::TextEncoding;
use crate::{ExtractError, LaidOut};
pub fn read_reading_order(_s: &str, _enc: TextEncoding) -> Result<LaidOut, ExtractError> {
    Err(ExtractError::Unsupported("reading-order text".into()))
}
