//! Test-only: the layering rules written at the top of `lib.rs`, checked
//! against every source file, so that they stay true by themselves.
//!
//! The rules are read from `lib.rs` itself (its line of layers, lowest
//! first, `←` between layers, `,` between folders of one layer), and the
//! imports from every `.rs` file under `src/`: each `crate::…` and
//! `super::…` path, groups (`crate::{a, b::{c, d}}`) included, outside
//! comments and string literals. Two rules fail the test:
//! - a folder imports from its own layer or a higher one (the features of
//!   one layer never import each other);
//! - the files and sub-folders of one folder import each other in a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where the line of layers sits in `lib.rs`.
const LAYERS_MARK: &str = "//! Layers, lowest first: ";

/// `src/`'s modules that are not a layer's: the crate root, the binary,
/// and this test.
const EXEMPT: [&str; 3] = ["lib", "main", "layers"];

/// The layers, lowest first, from the text of `lib.rs`.
fn layers(lib: &str) -> Vec<Vec<String>> {
    let line = lib
        .lines()
        .find_map(|l| l.strip_prefix(LAYERS_MARK))
        .expect("lib.rs states its layers");
    line.split('←')
        .map(|layer| {
            layer
                .split(',')
                .map(|m| m.trim().trim_end_matches('.').to_string())
                .collect()
        })
        .collect()
}

/// One `.rs` file: its module path (`["render", "views"]`) and its text.
struct Source {
    module: Vec<String>,
    path: PathBuf,
    text: String,
}

fn sources(dir: &Path) -> Vec<Source> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("src/ is readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(dir).expect("under src/");
        let mut module: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        let text = std::fs::read_to_string(path).expect("source is UTF-8");
        out.push(Source {
            module,
            path: Path::new("src").join(rel),
            text,
        });
    }
    out
}

/// The text with comments, string and character literals blanked out, so
/// that only code is searched.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &[u8]| {
        out.extend(s.iter().map(|&c| if c == b'\n' { '\n' } else { ' ' }));
    };
    while i < b.len() {
        let rest = &b[i..];
        let end = if rest.starts_with(b"//") {
            rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            let mut j = 0;
            loop {
                if j + 1 >= rest.len() {
                    break rest.len();
                }
                match &rest[j..j + 2] {
                    b"/*" => (depth, j) = (depth + 1, j + 2),
                    b"*/" if depth == 1 => break j + 2,
                    b"*/" => (depth, j) = (depth - 1, j + 2),
                    _ => j += 1,
                }
            }
        } else if let Some(len) = raw_string(rest) {
            len
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            (j + 1).min(rest.len())
        } else if rest[0] == b'\'' {
            char_literal(rest).unwrap_or(0)
        } else {
            0
        };
        if end == 0 {
            out.push(rest[0] as char);
            i += 1;
        } else {
            blank(&mut out, &rest[..end]);
            i += end;
        }
    }
    out
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`) at the start.
fn raw_string(rest: &[u8]) -> Option<usize> {
    let after_r = rest
        .strip_prefix(b"r")
        .or_else(|| rest.strip_prefix(b"br"))?;
    let hashes = after_r.iter().take_while(|&&c| c == b'#').count();
    if after_r.get(hashes) != Some(&b'"') {
        return None;
    }
    let close: Vec<u8> = std::iter::once(b'"')
        .chain(std::iter::repeat_n(b'#', hashes))
        .collect();
    let start = rest.len() - after_r.len() + hashes + 1;
    let end = rest[start..]
        .windows(close.len())
        .position(|w| w == close.as_slice())?;
    Some(start + end + close.len())
}

/// The length of a character literal at the start (not a lifetime).
fn char_literal(rest: &[u8]) -> Option<usize> {
    if rest.get(1) == Some(&b'\\') {
        let close = rest[2..].iter().position(|&c| c == b'\'')?;
        return Some(close + 3);
    }
    let text = std::str::from_utf8(rest).ok()?;
    let c = text[1..].chars().next()?;
    (text[1 + c.len_utf8()..].starts_with('\'')).then_some(2 + c.len_utf8())
}

/// Every path a `crate::` prefix starts in `code`, groups expanded:
/// `crate::{a::{b, c}, d}` gives `a::b`, `a::c` and `d`.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut at = 0;
    while let Some(i) = code[at..].find("crate::") {
        let start = at + i;
        at = start + "crate::".len();
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        tree(code.as_bytes(), &mut at, &mut Vec::new(), &mut paths);
    }
    paths
}

/// Every path `super::` starts in `code`, the code of `module`, made
/// absolute: `super::views::PageView` in `render/page.rs` is
/// `render::views::PageView`. (In an inline `mod tests`, `super::` is one
/// level lower than this reads it; such paths stay inside their folder
/// either way.)
fn super_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut at = 0;
    while let Some(i) = code[at..].find("super::") {
        let start = at + i;
        at = start + "super::".len();
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut up = 1;
        while code[at..].starts_with("super::") {
            up += 1;
            at += "super::".len();
        }
        let mut prefix = module[..module.len().saturating_sub(up)].to_vec();
        tree(code.as_bytes(), &mut at, &mut prefix, &mut paths);
    }
    paths
}

/// Reads one use tree at `*i` (a path, or a `{…}` group of trees) after
/// `prefix`, adding each full path to `out`.
fn tree(s: &[u8], i: &mut usize, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let skip_blank = |i: &mut usize| {
        while s.get(*i).is_some_and(u8::is_ascii_whitespace) {
            *i += 1;
        }
    };
    skip_blank(i);
    if s.get(*i) == Some(&b'{') {
        *i += 1;
        let depth = prefix.len();
        loop {
            skip_blank(i);
            if s.get(*i).is_none_or(|&c| c == b'}') {
                *i += 1;
                return;
            }
            tree(s, i, prefix, out);
            prefix.truncate(depth);
            skip_blank(i);
            match s.get(*i) {
                Some(b',') => *i += 1,
                _ => {
                    *i += 1;
                    return;
                }
            }
        }
    }
    let len = s[*i..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    if len > 0 {
        prefix.push(String::from_utf8_lossy(&s[*i..*i + len]).into_owned());
        *i += len;
        if s[*i..].starts_with(b"::") {
            *i += 2;
            return tree(s, i, prefix, out);
        }
    }
    out.push(prefix.clone());
}

/// The longest module of `modules` that `path` names.
fn module_of(path: &[String], modules: &BTreeSet<Vec<String>>) -> Vec<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|m| modules.contains(m))
        .unwrap_or_default()
}

/// Every import between two modules: (from, to, the file it is in).
fn imports(sources: &[Source]) -> Vec<(Vec<String>, Vec<String>, PathBuf)> {
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|s| s.module.clone()).collect();
    let mut edges = Vec::new();
    for s in sources {
        let code = code_only(&s.text);
        let paths = crate_paths(&code).into_iter();
        for path in paths.chain(super_paths(&code, &s.module)) {
            let to = module_of(&path, &modules);
            if !to.is_empty() && to != s.module {
                edges.push((s.module.clone(), to, s.path.clone()));
            }
        }
    }
    edges
}

/// Imports against the order of layers.
fn layer_violations(
    layers: &[Vec<String>],
    sources: &[Source],
    edges: &[(Vec<String>, Vec<String>, PathBuf)],
) -> Vec<String> {
    let rank: BTreeMap<&str, usize> = (layers.iter().enumerate())
        .flat_map(|(r, layer)| layer.iter().map(move |m| (m.as_str(), r)))
        .collect();
    let mut problems = Vec::new();
    for s in sources {
        let top = s.module.first().map_or("lib", String::as_str);
        if !rank.contains_key(top) && !EXEMPT.contains(&top) {
            problems.push(format!("{}: `{top}` is in no layer", s.path.display()));
        }
    }
    for (from, to, file) in edges {
        let (a, b) = (from.first(), to.first());
        let (Some(a), Some(b)) = (a, b) else { continue };
        let (Some(&ra), Some(&rb)) = (rank.get(a.as_str()), rank.get(b.as_str())) else {
            continue;
        };
        if a != b && rb >= ra {
            problems.push(format!(
                "{}: `{a}` imports `crate::{}`, which is not below it",
                file.display(),
                to.join("::")
            ));
        }
    }
    problems
}

/// Cycles among the children of each folder: an import from `a/x/…` to
/// `a/y/…` is an edge `x → y` among the children of `a`.
fn cycles(edges: &[(Vec<String>, Vec<String>, PathBuf)]) -> Vec<String> {
    let mut graphs: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, to, _) in edges {
        let shared = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        let (Some(x), Some(y)) = (from.get(shared), to.get(shared)) else {
            // One contains the other (a folder's mod.rs and its children).
            continue;
        };
        (graphs.entry(from[..shared].to_vec()).or_default())
            .entry(x.clone())
            .or_default()
            .insert(y.clone());
    }
    let mut problems = Vec::new();
    for (folder, graph) in &graphs {
        if let Some(cycle) = find_cycle(graph) {
            let place = match folder.is_empty() {
                true => "src".to_string(),
                false => format!("src/{}", folder.join("/")),
            };
            problems.push(format!("{place}: import cycle {}", cycle.join(" → ")));
        }
    }
    problems
}

/// A cycle of `graph`, as its nodes with the first repeated at the end.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

fn check(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let sources = sources(src);
    let edges = imports(&sources);
    let mut problems = layer_violations(&layers(&lib), &sources, &edges);
    problems.extend(cycles(&edges));
    problems.dedup();
    problems
}

#[test]
fn every_import_points_down_the_layers_and_no_folder_has_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = check(&src);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn reads_paths_in_groups_and_skips_comments_and_strings() {
    let code = code_only(
        "use crate::{a::{b, c::D}, e};\n// crate::f\nlet s = \"crate::g\"; let c = '\"'; crate::h::i(x);\nr#\"crate::j\"#; 'a; mycrate::k",
    );
    let paths: Vec<String> = crate_paths(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["a::b", "a::c::D", "e", "h::i"]);
    let module = ["render".to_string(), "page".to_string()];
    let code = code_only("use super::views::{self, PageView};\nsuper::super::site::Site");
    let paths: Vec<String> = super_paths(&code, &module)
        .iter()
        .map(|p| p.join("::"))
        .collect();
    assert_eq!(
        paths,
        [
            "render::views::self",
            "render::views::PageView",
            "site::Site"
        ]
    );
}

/// The check fails on a wrong import: a copy of `src/` where `util` imports
/// `render`, and where two files of `render` import each other.
#[test]
fn an_import_against_the_layers_or_a_cycle_fails() {
    let copy = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("readable");
        let to = copy
            .path()
            .join(entry.path().strip_prefix(&src).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("dir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    let append = |file: &str, line: &str| {
        let path = copy.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read") + line;
        std::fs::write(path, text).expect("write");
    };
    append("util/fnv.rs", "\nuse crate::render::views::PageView;\n");
    append("render/views.rs", "\nuse crate::render::body::render;\n");
    append("render/body.rs", "\nuse crate::render::views::PageView;\n");
    let problems = check(copy.path()).join("\n");
    assert!(
        problems.contains("`util` imports `crate::render::views`, which is not below it"),
        "{problems}"
    );
    assert!(problems.contains("src/render: import cycle"), "{problems}");
}
