//! POSIX shell quoting for the `run:` lines of exported jobs.

/// `argv` as one shell command line: each argument as is when it holds
/// only characters the shell leaves alone, else in single quotes (a quote
/// inside written `'\''`).
pub(super) fn join(argv: &[String]) -> String {
    argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
}

fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_the_shell_would_read() {
        let argv: Vec<String> = ["git", "tag", "-m", "it's 1.0", "v1.0", "", "$HOME"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(join(&argv), r"git tag -m 'it'\''s 1.0' v1.0 '' '$HOME'");
    }
}
