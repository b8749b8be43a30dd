//! How the blog keys' checks (`blog_keys.rs`) report through a file's
//! front-matter checker: at spans of its TOML text, shifted to the file.

use std::ops::Range;

use toml::Spanned;

use super::blog_keys::Report;
use super::front_matter::Checker;

impl Report for Checker<'_> {
    fn error(&mut self, span: Range<usize>, message: String) {
        Checker::error(self, span, message);
    }

    fn help(&mut self, help: &str) {
        if let Some(last) = self.errors.last_mut() {
            last.help = Some(help.into());
        }
    }

    fn key_line(&self, key: &str) -> Range<usize> {
        let toml_text = &self.text[self.range.clone()];
        let mut offset = 0;
        for line in toml_text.split_inclusive('\n') {
            let rest = line.trim_start();
            let after = rest.strip_prefix(key).map(str::trim_start);
            if after.is_some_and(|a| a.starts_with('=')) {
                let start = offset + line.len() - rest.len();
                return start..start + key.len();
            }
            offset += line.len();
        }
        0..0
    }

    fn shift(&self, span: Range<usize>) -> Range<usize> {
        Checker::shift(self, span)
    }

    fn respan(&self, value: Spanned<String>) -> Spanned<String> {
        Checker::respan(self, value)
    }
}
