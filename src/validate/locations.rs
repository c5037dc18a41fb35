//! Spans into the model's `SourceLocation`s, sharing one path per file.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::Span;
use crate::model::SourceLocation;

#[derive(Default)]
pub struct Locations {
    files: HashMap<String, Arc<PathBuf>>,
}

impl Locations {
    pub fn of(&mut self, span: &Span) -> SourceLocation {
        let file = self
            .files
            .entry(span.file.name.clone())
            .or_insert_with(|| Arc::new(PathBuf::from(&span.file.name)));
        SourceLocation {
            file: Arc::clone(file),
            line: span.line(),
            column: span.column(),
        }
    }
}
