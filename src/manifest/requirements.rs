//! pip requirement files.

use super::Item;

/// Parse the text of one requirement file into items.
pub fn parse(_text: &str) -> Vec<Item> {
    Vec::new()
}
