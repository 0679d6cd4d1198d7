//! Column alignment (placeholder)
