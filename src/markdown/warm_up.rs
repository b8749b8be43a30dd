//! The highlighting grammars made ready before the bodies need them.
//!
//! fancy-regex compiles a grammar's pattern the first time it is tried, once
//! for all threads: the first `bash` block of a build took 32 ms on one core,
//! and every other rendering thread that reached a `bash` block meanwhile
//! waited for it (at 1,000 pages, a third of the build ran on one core).
//! Once the content is read, a thread of its own highlights the first block
//! of each language the content uses, while the site is assembled on the
//! main thread and the other core has nothing to do. What it makes is
//! thrown away; only the compiled patterns stay.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;

use super::highlight;

/// The first fenced code block of each language in `markdown` that `found`
/// does not hold yet, added to it (language, code).
pub(crate) fn first_blocks<'a>(markdown: &'a str, found: &mut HashMap<&'a str, &'a str>) {
    let bytes = markdown.as_bytes();
    if memchr::memmem::find(bytes, b"```").is_none()
        && memchr::memmem::find(bytes, b"~~~").is_none()
    {
        return;
    }
    let mut lines = LineSpans::new(markdown);
    while let Some((line, _)) = lines.next() {
        let Some((fence, info)) = opening_fence(line) else {
            continue;
        };
        let lang = info.split([' ', ',']).next().unwrap_or("");
        let start = lines.at;
        let mut end = markdown.len();
        for (line, at) in lines.by_ref() {
            if closes(line, fence) {
                end = at;
                break;
            }
        }
        if !lang.is_empty() {
            found.entry(lang).or_insert(&markdown[start..end]);
        }
    }
}

/// Highlights, on a thread of its own, the start of the first block of each
/// language in `docs` that no warm-up of this process took yet; the thread
/// ends with the languages it took. `None` when no thread could be started
/// (the bodies then compile what they need, as they would have).
pub(crate) fn warm_up<D: Send + 'static>(
    docs: Vec<D>,
    body: fn(&D) -> &str,
) -> Option<JoinHandle<Vec<String>>> {
    let work = move || {
        let mut first = HashMap::new();
        for doc in &docs {
            first_blocks(body(doc), &mut first);
        }
        let warmed = WARMED.get_or_init(Mutex::default);
        let mut took = Vec::new();
        for (lang, code) in first {
            let new =
                (warmed.lock().unwrap_or_else(PoisonError::into_inner)).insert(lang.to_string());
            if new {
                let _ = highlight::highlight(start_of(code), lang);
                took.push(lang.to_string());
            }
        }
        took
    };
    std::thread::Builder::new()
        .name("utmost-warm-up".into())
        .spawn(work)
        .ok()
}

/// How much of a block a warm-up highlights: enough lines to try the
/// patterns of a grammar's main contexts, and no more, so that a huge first
/// block (or an unclosed fence) is not highlighted twice.
const WARM_UP_BYTES: usize = 4096;

/// The lines of `code` that start within its first [`WARM_UP_BYTES`].
fn start_of(code: &str) -> &str {
    if code.len() <= WARM_UP_BYTES {
        return code;
    }
    let cut = memchr::memchr(b'\n', &code.as_bytes()[WARM_UP_BYTES..]);
    cut.map_or(code, |i| &code[..WARM_UP_BYTES + i + 1])
}

/// The languages warmed up in this process (`serve` builds again and again).
static WARMED: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();

/// A fence that opens a code block: its character and length, and its info
/// string. Up to three spaces may come before it, as CommonMark allows.
fn opening_fence(line: &str) -> Option<(Fence, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let char = *trimmed.as_bytes().first()?;
    if char != b'`' && char != b'~' {
        return None;
    }
    let len = trimmed.bytes().take_while(|&b| b == char).count();
    let info = trimmed[len..].trim();
    // A backtick fence's info string holds no backtick (CommonMark).
    (len >= 3 && !(char == b'`' && info.contains('`'))).then_some((Fence { char, len }, info))
}

#[derive(Clone, Copy)]
struct Fence {
    char: u8,
    len: usize,
}

/// Whether `line` closes a block `fence` opened: the same character, at
/// least as many, and nothing after them but spaces.
fn closes(line: &str, fence: Fence) -> bool {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return false;
    }
    let len = trimmed.bytes().take_while(|&b| b == fence.char).count();
    len >= fence.len && trimmed[len..].trim().is_empty()
}

/// The lines of a text without their line ends, each with where it starts;
/// `at` is where the next one starts.
struct LineSpans<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> LineSpans<'a> {
    fn new(text: &'a str) -> LineSpans<'a> {
        LineSpans { text, at: 0 }
    }
}

impl<'a> Iterator for LineSpans<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<(&'a str, usize)> {
        if self.at >= self.text.len() {
            return None;
        }
        let start = self.at;
        let rest = &self.text[start..];
        let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        self.at += len;
        let line = rest[..len].trim_end_matches(['\n', '\r']);
        Some((line, start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(markdown: &str) -> Vec<(&str, &str)> {
        let mut found = HashMap::new();
        first_blocks(markdown, &mut found);
        let mut found: Vec<_> = found.into_iter().collect();
        found.sort();
        found
    }

    #[test]
    fn takes_the_first_block_of_each_language() {
        let markdown = "Text\n\n```bash\necho one\n```\n\n~~~ json,linenos\n{}\n~~~\n\n```bash\necho two\n```\n";
        assert_eq!(blocks(markdown), [("bash", "echo one\n"), ("json", "{}\n")]);
    }

    #[test]
    fn a_block_ends_at_its_own_fence_or_at_the_end() {
        // A shorter or other fence inside does not close it; an unclosed
        // block runs to the end, as CommonMark says.
        let markdown = "````toml\na = 1\n```\n~~~\nb = 2\n````\n```rust\nfn main() {}";
        assert_eq!(
            blocks(markdown),
            [
                ("rust", "fn main() {}"),
                ("toml", "a = 1\n```\n~~~\nb = 2\n")
            ]
        );
    }

    #[test]
    fn line_ends_and_tabs_are_read_as_commonmark_does() {
        // CRLF lines; a tab before a fence makes indented code, no fence.
        let markdown = "```json\r\n{}\r\n```\r\n\t```bash\n\techo\n";
        assert_eq!(blocks(markdown), [("json", "{}\r\n")]);
    }

    #[test]
    fn a_long_block_is_warmed_up_by_its_first_lines() {
        let short = "a = 1\n";
        assert_eq!(start_of(short), short);
        let long = "key = \"value\"\n".repeat(1000);
        let start = start_of(&long);
        assert!(start.len() > WARM_UP_BYTES && start.len() < WARM_UP_BYTES + 16);
        assert!(start.ends_with('\n') && long.starts_with(start));
        let one_line = "x".repeat(WARM_UP_BYTES * 2);
        assert_eq!(start_of(&one_line), one_line, "no line end: all of it");
    }

    #[test]
    fn indented_code_and_unnamed_blocks_are_no_language() {
        let markdown = "    ```bash\n    echo\n    ```\n\n```\nplain\n```\n``` `x`\ny\n```\n";
        assert_eq!(blocks(markdown), []);
    }

    #[test]
    fn a_warm_up_takes_each_language_once_per_process() {
        // Languages no other test warms up.
        let docs = vec!["```ini\na = 1\n```\n".to_string(), "text".to_string()];
        let took = warm_up(docs, |d| d.as_str()).unwrap().join().unwrap();
        assert_eq!(took, ["ini"]);
        let docs = vec!["```ini\nb = 2\n```\n```diff\n+ x\n```\n".to_string()];
        let took = warm_up(docs, |d| d.as_str()).unwrap().join().unwrap();
        assert_eq!(took, ["diff"], "a language already taken is not again");
    }
}
