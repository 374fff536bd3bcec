//! The structure rules of `ARCHITECTURE.md`, checked against the source:
//!
//! - every module of the core uses only modules on a lower level of the
//!   import-order table in `ARCHITECTURE.md` (read from the document, so the
//!   two cannot drift), through `use crate::...` or inline `crate::...` and
//!   `super::super::...` paths (attribute strings such as
//!   `schemars(with = "crate::...")` included, comments and doc comments
//!   excluded);
//! - no public type name is defined twice in the crate.
//!
//! The source is read as text with a small lexer (comments, strings, char
//! literals and lifetimes); the tests at the end check the lexer itself.

// A test reads the repository's files; the core itself never does.
#![allow(clippy::disallowed_methods)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use regex::Regex;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The import-order table of `ARCHITECTURE.md`: module name to level.
fn levels(document: &str) -> BTreeMap<String, u32> {
    let document = format!("\n{document}");
    let section = document
        .split("\n## ")
        .find(|s| s.starts_with("Import order"))
        .expect("ARCHITECTURE.md has a `## Import order` section");
    let row = Regex::new(r"(?m)^\|\s*([0-9]+)\s*\|([^|\n]*)\|").unwrap();
    let name = Regex::new(r"`([a-z_][a-z0-9_]*)`").unwrap();
    let mut levels = BTreeMap::new();
    for caps in row.captures_iter(section) {
        let level: u32 = caps[1].parse().unwrap();
        for m in name.captures_iter(&caps[2]) {
            let previous = levels.insert(m[1].to_owned(), level);
            assert!(
                previous.is_none(),
                "ARCHITECTURE.md lists module `{}` twice in the import order",
                &m[1]
            );
        }
    }
    assert!(
        !levels.is_empty(),
        "ARCHITECTURE.md's `## Import order` section has no `| level | modules |` rows"
    );
    levels
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The text without its comments (`code`, strings kept, since attribute
/// strings name paths), and without comments or the contents of strings and
/// char literals (`structure`, for braces and definitions). Both keep every
/// byte offset and line of the original: removed characters become spaces,
/// newlines stay.
struct Lexed {
    code: String,
    structure: String,
}

fn lex(text: &str) -> Lexed {
    let b = text.as_bytes();
    let mut code = b.to_vec();
    let mut structure = b.to_vec();
    let blank = |v: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut v[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                blank(&mut code, i, end);
                blank(&mut structure, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (mut depth, mut j) = (1, i + 2);
                while j < b.len() && depth > 0 {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                blank(&mut code, i, j);
                blank(&mut structure, i, j);
                i = j;
            }
            b'r' | b'b' if !ident_before(b, i) && raw_string_start(b, i).is_some() => {
                let (open, hashes) = raw_string_start(b, i).unwrap();
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                let mut j = open + 1;
                while j < b.len() && !b[j..].starts_with(&close) {
                    j += 1;
                }
                blank(&mut structure, open + 1, j);
                i = (j + close.len()).min(b.len());
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut structure, i + 1, j.min(b.len()));
                i = j + 1;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{1F600}', '"') or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    let mut j = i + 2;
                    while j < b.len() && b[j] != b'\'' {
                        j += 1;
                    }
                    blank(&mut structure, i + 1, j);
                    blank(&mut code, i + 1, j);
                    i = j + 1;
                } else if let Some(c) = text[i + 1..].chars().next() {
                    let after = i + 1 + c.len_utf8();
                    if b.get(after) == Some(&b'\'') {
                        blank(&mut structure, i + 1, after);
                        blank(&mut code, i + 1, after);
                        i = after + 1;
                    } else {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    Lexed {
        code: String::from_utf8(code).unwrap(),
        structure: String::from_utf8(structure).unwrap(),
    }
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Where the opening quote of a raw (byte) string starting at `i` is, and
/// its number of `#`s: `r"`, `r#"`, `br"`, `br##"`.
fn raw_string_start(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if b[j] == b'b' {
        j += 1;
    }
    if b.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while b.get(j) == Some(&b'#') {
        hashes += 1;
        j += 1;
    }
    (b.get(j) == Some(&b'"')).then_some((j, hashes))
}

/// The module path of a file: `calendar/windows.rs` is `[calendar, windows]`,
/// `calendar/mod.rs` is `[calendar]`, `lib.rs` is `[]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The inline modules (`mod tests { ... }`) of a text, as byte ranges with
/// their names, found in the structure text.
fn inline_modules(structure: &str) -> Vec<(usize, usize, String)> {
    let head = Regex::new(r"\bmod\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{").unwrap();
    let mut out = Vec::new();
    for caps in head.captures_iter(structure) {
        let open = caps.get(0).unwrap().end() - 1;
        let mut depth = 0usize;
        let mut end = structure.len();
        for (k, c) in structure[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push((open, end, caps[1].to_owned()));
    }
    out
}

/// One reference of a file to a top-level module of the crate.
#[derive(Debug, PartialEq)]
struct Reference {
    /// The top-level module referred to (`error` for crate-root items).
    module: String,
    /// 1-based line.
    line: usize,
    /// The path as written, up to the first segment after the root.
    written: String,
}

/// The first identifier of each item of a `{...}` group starting at `open`.
fn group_heads(code: &str, open: usize) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut item = String::new();
    for c in code[open..].chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                heads.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        if depth >= 1 {
            item.push(c);
        }
    }
    heads.push(item);
    heads
        .iter()
        .filter_map(|item| {
            let item = item.trim();
            let end = item
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(item.len());
            (end > 0).then(|| item[..end].to_owned())
        })
        .collect()
}

/// Every reference of one file (`text`, at `relative` under `src`) to a
/// top-level module of the crate: `crate::x`, `crate::{x::Y, Z}`, and
/// `super::...::x` that climbs to the crate root. A name that is not a
/// module of `known` is a crate-root item, which belongs to `error`.
fn references(relative: &Path, text: &str) -> Vec<Reference> {
    let lexed = lex(text);
    let inline = inline_modules(&lexed.structure);
    let file_path = module_path(relative);
    let root =
        Regex::new(r"(?:\bcrate|\bsuper(?:\s*::\s*super)*)\s*::\s*(\{|[A-Za-z_][A-Za-z0-9_]*)")
            .unwrap();
    let mut out = Vec::new();
    for caps in root.captures_iter(&lexed.code) {
        let whole = caps.get(0).unwrap();
        let written = whole.as_str();
        if !written.starts_with("crate") {
            // super^n from the module at this offset: only a climb to the
            // crate root leaves the file's top-level module.
            let supers = written.matches("super").count();
            let depth = file_path.len()
                + inline
                    .iter()
                    .filter(|(from, to, _)| *from < whole.start() && whole.start() < *to)
                    .count();
            if supers < depth {
                continue;
            }
        }
        let line = lexed.code[..whole.start()].matches('\n').count() + 1;
        let heads = match caps.get(1).unwrap().as_str() {
            "{" => group_heads(&lexed.code, caps.get(1).unwrap().start()),
            ident => vec![ident.to_owned()],
        };
        for head in heads {
            if head == "self" {
                continue;
            }
            out.push(Reference {
                module: head,
                line,
                written: written.split_whitespace().collect(),
            });
        }
    }
    out
}

/// The module a crate-root item belongs to: the module `lib.rs` re-exports
/// it from (`pub use warning::{Warning, ...}`), or the module whose file
/// defines it as an exported macro (`macro_rules! vocabulary`); other
/// capitalised names (`Error`, `Result`) are the root's re-exports of
/// `error`, and a lowercase name is a module.
fn module_of<'a>(name: &'a str, root_items: &'a BTreeMap<String, String>) -> &'a str {
    if let Some(module) = root_items.get(name) {
        module
    } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        "error"
    } else {
        name
    }
}

/// The crate-root items and the module each comes from, read from the
/// sources: `lib.rs`'s `pub use module::...` re-exports and every file's
/// `macro_rules!` (exported macros live at the crate root).
fn root_items(files: &[(PathBuf, String)]) -> BTreeMap<String, String> {
    let reexport =
        Regex::new(r"(?m)^pub use ([a-z_]+)::(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*));").unwrap();
    let macro_def = Regex::new(r"macro_rules!\s*([A-Za-z_][A-Za-z0-9_]*)").unwrap();
    let mut items = BTreeMap::new();
    for (relative, text) in files {
        let code = lex(text).code;
        match module_path(relative).first() {
            None => {
                for caps in reexport.captures_iter(&code) {
                    let names = caps.get(2).or(caps.get(3)).unwrap().as_str();
                    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                        items.insert(name.to_owned(), caps[1].to_owned());
                    }
                }
            }
            Some(module) => {
                for caps in macro_def.captures_iter(&code) {
                    items.insert(caps[1].to_owned(), module.clone());
                }
            }
        }
    }
    items
}

/// The violations of the import order in the files under `src`, one line each.
fn violations(levels: &BTreeMap<String, u32>, files: &[(PathBuf, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let root_items = root_items(files);
    for (relative, text) in files {
        let Some(own) = module_path(relative).first().cloned() else {
            continue; // lib.rs declares and re-exports; it is the root.
        };
        let display = format!("crates/release-core/src/{}", relative.display());
        let Some(&own_level) = levels.get(&own) else {
            problems.push(format!(
                "{display}: module `{own}` is not in ARCHITECTURE.md's import-order table"
            ));
            continue;
        };
        for r in references(relative, text) {
            let target = module_of(&r.module, &root_items);
            if target == own {
                continue;
            }
            let source_line = text.lines().nth(r.line - 1).unwrap_or("").trim();
            match levels.get(target) {
                None => problems.push(format!(
                    "{display}:{}: `{}` names module `{target}`, which is not in \
                     ARCHITECTURE.md's import-order table: {source_line}",
                    r.line, r.written
                )),
                Some(&level) if level >= own_level => problems.push(format!(
                    "{display}:{}: `{own}` (level {own_level}) uses `{target}` (level {level}); \
                     a module may use only modules on a lower level: {source_line}",
                    r.line
                )),
                Some(_) => {}
            }
        }
    }
    problems
}

fn sources() -> Vec<(PathBuf, String)> {
    let root = src();
    rust_files(&root)
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.strip_prefix(&root).unwrap().to_path_buf(), text)
        })
        .collect()
}

fn architecture() -> String {
    std::fs::read_to_string(repository().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md exists")
}

#[test]
fn modules_use_only_lower_modules() {
    let levels = levels(&architecture());
    let problems = violations(&levels, &sources());
    assert!(
        problems.is_empty(),
        "imports against the order of ARCHITECTURE.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_table_lists_exactly_the_crates_modules() {
    let levels = levels(&architecture());
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let declared = Regex::new(r"(?m)^\s*(?:pub\s+)?mod\s+([a-z_][a-z0-9_]*)\s*;").unwrap();
    let modules: BTreeSet<String> = declared
        .captures_iter(&lex(&lib).code)
        .map(|c| c[1].to_owned())
        .collect();
    let listed: BTreeSet<String> = levels.keys().cloned().collect();
    assert_eq!(
        modules, listed,
        "the modules lib.rs declares and the modules of ARCHITECTURE.md's import-order table differ"
    );
}

#[test]
fn public_type_names_are_defined_once() {
    let definition =
        Regex::new(r"\bpub\s+(?:struct|enum|trait|type|union)\s+([A-Za-z_][A-Za-z0-9_]*)").unwrap();
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (relative, text) in sources() {
        let structure = lex(&text).structure;
        for caps in definition.captures_iter(&structure) {
            let line = structure[..caps.get(0).unwrap().start()]
                .matches('\n')
                .count()
                + 1;
            seen.entry(caps[1].to_owned()).or_default().push(format!(
                "crates/release-core/src/{}:{line}",
                relative.display()
            ));
        }
    }
    let mut report = String::new();
    for (name, places) in seen.iter().filter(|(_, places)| places.len() > 1) {
        writeln!(report, "`{name}` is defined at {}", places.join(", ")).unwrap();
    }
    assert!(
        report.is_empty(),
        "public type names defined more than once (rename one):\n{report}"
    );
}

// The checks' own machinery.

#[test]
fn the_lexer_drops_comments_and_keeps_strings_and_offsets() {
    let text = "use crate::gate; // crate::process\n/* crate::run /* nested */ crate::train */\n\
                let s = \"// not a comment crate::notes\"; let c = '\"'; let l: &'a str = r#\"}\"#;\n";
    let lexed = lex(text);
    assert_eq!(lexed.code.len(), text.len());
    assert_eq!(lexed.code.lines().count(), text.lines().count());
    assert!(lexed.code.contains("crate::gate"));
    assert!(!lexed.code.contains("crate::process"));
    assert!(!lexed.code.contains("crate::run"));
    assert!(!lexed.code.contains("crate::train"));
    assert!(
        lexed.code.contains("crate::notes"),
        "strings stay in the code text"
    );
    assert!(!lexed.structure.contains("crate::notes"));
    assert!(
        !lexed.structure.contains('}'),
        "braces in strings are not structure"
    );
    assert!(
        lexed.structure.contains("&'a str"),
        "a lifetime is not a char literal"
    );
}

#[test]
fn references_cover_groups_inline_paths_attributes_and_super() {
    let text = r#"
use crate::{Error, gate::Rule, pipeline::{Step, StepId}};
use super::sibling::Thing;
#[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::Instant"))]
fn f() -> crate::run::Run { todo!() }
/// [`crate::process`] in a doc comment does not count.
mod tests {
    use super::super::super::train::Train;
    use super::super::sibling::Other;
}
"#;
    let refs = references(Path::new("notes/ticket.rs"), text);
    let found: Vec<(&str, usize)> = refs.iter().map(|r| (r.module.as_str(), r.line)).collect();
    assert_eq!(
        found,
        [
            ("Error", 2),
            ("gate", 2),
            ("pipeline", 2),
            ("schema_shapes", 4),
            ("run", 5),
            ("train", 8),
        ]
    );
}

#[test]
fn an_upward_import_is_reported_with_file_line_and_text() {
    let levels = levels(
        "## Import order\n\n| Level | Modules |\n|---|---|\n| 0 | `error` |\n\
                         | 1 | `gate` |\n| 2 | `pipeline` |\n",
    );
    let files = vec![
        (
            PathBuf::from("gate/rule.rs"),
            "use crate::Error;\n\nuse crate::pipeline::Span;\n".to_owned(),
        ),
        (
            PathBuf::from("pipeline/step.rs"),
            "use crate::gate::Gate;\nuse crate::other::X;\n".to_owned(),
        ),
    ];
    let problems = violations(&levels, &files);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(
        problems[0],
        "crates/release-core/src/gate/rule.rs:3: `gate` (level 1) uses `pipeline` (level 2); \
         a module may use only modules on a lower level: use crate::pipeline::Span;"
    );
    assert!(
        problems[1].contains("pipeline/step.rs:2"),
        "{}",
        problems[1]
    );
    assert!(problems[1].contains("`other`"), "{}", problems[1]);
}
