//! Form submissions as browsers send them, parsed into (name, value) pairs:
//! `application/x-www-form-urlencoded` (the HTML standard's default form
//! encoding: `&`-separated pairs, `+` for space, `%XX` escapes, UTF-8) and
//! `multipart/form-data` (RFC 7578 on RFC 2046's multipart syntax: parts
//! between `--boundary` lines, each with a `Content-Disposition: form-data;
//! name="…"` header; file parts carry a `filename` and are skipped here).
//! Any other type is not a form post.

use crate::util::http::paths::percent_decode;

/// How a form body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Encoding {
    UrlEncoded,
    Multipart { boundary: String },
}

/// Pairs in the order they were sent.
pub(crate) type Fields = Vec<(String, String)>;

/// The encoding a Content-Type names; `None` for anything but a form post
/// (JSON, text, no type at all). A multipart type without a usable
/// boundary is an error.
pub(crate) fn encoding(content_type: Option<&str>) -> Option<Result<Encoding, String>> {
    let mut parts = content_type?.split(';');
    let media = parts.next()?.trim().to_ascii_lowercase();
    match media.as_str() {
        "application/x-www-form-urlencoded" => Some(Ok(Encoding::UrlEncoded)),
        "multipart/form-data" => {
            let boundary = parts.find_map(|p| {
                let (name, value) = p.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("boundary")
                    .then(|| unquote(value.trim()))
            });
            // RFC 2046: 1 to 70 characters.
            Some(match boundary {
                Some(b) if (1..=70).contains(&b.len()) && !b.contains(['\r', '\n']) => {
                    Ok(Encoding::Multipart { boundary: b })
                }
                _ => Err("multipart/form-data without a valid boundary".into()),
            })
        }
        _ => None,
    }
}

/// Parses a body; an error says what is wrong with it.
pub(crate) fn parse(encoding: &Encoding, body: &[u8]) -> Result<Fields, String> {
    match encoding {
        Encoding::UrlEncoded => {
            let text = std::str::from_utf8(body).map_err(|_| "the form data is not UTF-8")?;
            url_encoded(text).ok_or_else(|| "the form data is not UTF-8".into())
        }
        Encoding::Multipart { boundary } => multipart(body, boundary),
    }
}

/// `application/x-www-form-urlencoded` pairs (a name without `=` has an
/// empty value); `None` when an escape does not decode to UTF-8.
pub(crate) fn url_encoded(body: &str) -> Option<Fields> {
    let decode = |s: &str| percent_decode(&s.replace('+', " "));
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

/// A quoted-string's content (backslash escapes undone), or a token as is.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' {
            chars.next().unwrap_or('\\')
        } else {
            c
        });
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The text fields of a `multipart/form-data` body.
fn multipart(body: &[u8], boundary: &str) -> Result<Fields, String> {
    let delimiter = format!("--{boundary}").into_bytes();
    let incomplete = || "the multipart body is incomplete".to_string();
    // The first delimiter opens the body (a preamble before it is ignored).
    let first = if body.starts_with(&delimiter) {
        0
    } else {
        let at = find(body, &[b"\r\n", delimiter.as_slice()].concat()).ok_or_else(incomplete)?;
        at + 2
    };
    let mut rest = &body[first + delimiter.len()..];
    let closing = [b"\r\n", delimiter.as_slice()].concat();
    let mut fields = Fields::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(fields);
        }
        // Transport padding, then the line break that ends the delimiter line.
        let line_end = find(rest, b"\r\n").ok_or_else(incomplete)?;
        if rest[..line_end].iter().any(|b| !matches!(b, b' ' | b'\t')) {
            return Err("a multipart delimiter line has text after it".into());
        }
        rest = &rest[line_end + 2..];
        let headers_end = find(rest, b"\r\n\r\n").ok_or_else(incomplete)?;
        let headers = std::str::from_utf8(&rest[..headers_end])
            .map_err(|_| "a part's headers are not UTF-8")?;
        let content_start = headers_end + 4;
        let content_len = find(&rest[content_start..], &closing).ok_or_else(incomplete)?;
        let content = &rest[content_start..content_start + content_len];
        if let Some(name) = field_name(headers)? {
            let value = std::str::from_utf8(content)
                .map_err(|_| format!("the value of `{name}` is not UTF-8"))?;
            fields.push((name, value.to_string()));
        }
        rest = &rest[content_start + content_len + closing.len()..];
    }
}

/// The field name of a part, from its Content-Disposition; `None` for a
/// file (it has a `filename`) or the `_charset_` field.
fn field_name(headers: &str) -> Result<Option<String>, String> {
    let disposition = headers
        .split("\r\n")
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-disposition")
                .then_some(value.trim())
        })
        .ok_or("a multipart part has no Content-Disposition")?;
    let params = parameters(disposition);
    if !params
        .first()
        .is_some_and(|(kind, _)| kind.eq_ignore_ascii_case("form-data"))
    {
        return Err("a multipart part is not form-data".into());
    }
    let find = |key: &str| params.iter().find(|(k, _)| k.eq_ignore_ascii_case(key));
    if find("filename").is_some() {
        return Ok(None);
    }
    let (_, name) = find("name").ok_or("a multipart part has no name")?;
    // The HTML standard escapes `"`, CR and LF in names as %22, %0D, %0A.
    let name = name
        .replace("%22", "\"")
        .replace("%0D", "\r")
        .replace("%0A", "\n");
    Ok((name != "_charset_").then_some(name))
}

/// `form-data; name="a;b"; filename="x"` → [("form-data", ""), ("name", "a;b"), …],
/// splitting on `;` outside quoted strings.
fn parameters(value: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let (mut current, mut quoted, mut escaped) = (String::new(), false, false);
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), unquote(v.trim())),
            None => (p.trim().to_string(), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urlencoded_forms() {
        assert_eq!(url_encoded("a=%ff%fe"), None);
        let f = url_encoded("email=a%40b.example&company=Acme+Inc&empty=&x").unwrap();
        assert_eq!(
            f,
            vec![
                ("email".into(), "a@b.example".into()),
                ("company".into(), "Acme Inc".into()),
                ("empty".into(), "".into()),
                ("x".into(), "".into())
            ]
        );
    }

    #[test]
    fn recognises_form_encodings_only() {
        let enc = |t: &str| encoding(Some(t));
        assert_eq!(
            enc("application/x-www-form-urlencoded; charset=UTF-8"),
            Some(Ok(Encoding::UrlEncoded))
        );
        assert_eq!(
            enc("Multipart/Form-Data; boundary=\"a b\""),
            Some(Ok(Encoding::Multipart {
                boundary: "a b".into()
            }))
        );
        assert!(matches!(enc("multipart/form-data"), Some(Err(_))));
        assert_eq!(enc("application/json"), None);
        assert_eq!(enc("text/plain"), None);
        assert_eq!(encoding(None), None);
    }

    /// The shape Chrome sends (boundary `----WebKitFormBoundary…`, CRLF
    /// lines, a file part with `filename` and its own Content-Type), as RFC
    /// 7578 §4 and the HTML standard's multipart/form-data algorithm define.
    #[test]
    fn parses_multipart_text_fields_and_skips_files() {
        let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        let body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nana@client.example\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nline one\r\nline two\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 \u{0}\u{1}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"_charset_\"\r\n\r\nUTF-8\r\n\
             --{b}\r\ncontent-disposition: form-data; name=\"a%22b;c\"\r\n\r\nÉ\r\n\
             --{b}--\r\n",
            b = boundary
        );
        let enc = Encoding::Multipart {
            boundary: boundary.into(),
        };
        assert_eq!(
            parse(&enc, body.as_bytes()).unwrap(),
            vec![
                ("email".into(), "ana@client.example".into()),
                ("note".into(), "line one\r\nline two".into()),
                ("a\"b;c".into(), "É".into()),
            ]
        );
    }

    #[test]
    fn refuses_broken_multipart() {
        let enc = Encoding::Multipart {
            boundary: "X".into(),
        };
        for body in [
            "",
            "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
            "--X\r\nContent-Type: text/plain\r\n\r\nv\r\n--X--",
            "--X\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--X--",
        ] {
            assert!(parse(&enc, body.as_bytes()).is_err(), "{body:?}");
        }
        let preamble = "ignored\r\n--X\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--X--";
        assert_eq!(
            parse(&enc, preamble.as_bytes()).unwrap(),
            vec![("a".into(), "v".into())]
        );
    }
}
