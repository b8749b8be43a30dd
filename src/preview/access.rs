//! Who may talk to the preview server. Any web page the user visits can
//! send requests to a server on the user's machine; these rules keep such
//! pages out:
//! - the `Host` header must name the preview itself (the bound address,
//!   `localhost`, `127.0.0.1` or `[::1]`, with the port): a DNS-rebinding
//!   page reaches the server under its own host name and is refused (421);
//! - a POST's `Origin` (or `Referer` when a browser sends no Origin) must be
//!   the preview's own origin: a form on another site is refused (403). A
//!   request with neither (curl, a script) cannot come from a web page and
//!   is let through.
//!
//! IP literals cannot be rebound, so a server bound to every interface
//! (`--bind 0.0.0.0`, to preview from a phone) accepts any IP literal host.

use std::net::IpAddr;

/// The host names the preview answers to, and its port.
#[derive(Debug, Clone)]
pub(crate) struct Allowed {
    port: u16,
    names: Vec<String>,
    /// Bound to every interface: any IP literal is a name of this server.
    any_ip: bool,
}

impl Allowed {
    pub(crate) fn new(bind: &str, port: u16) -> Allowed {
        let bind = bind.trim_start_matches('[').trim_end_matches(']');
        let bound: Option<IpAddr> = bind.parse().ok();
        let mut names = vec!["localhost".into(), "127.0.0.1".into(), "[::1]".into()];
        match bound {
            Some(IpAddr::V6(ip)) => names.push(format!("[{ip}]")),
            Some(ip) => names.push(ip.to_string()),
            None => names.push(bind.to_ascii_lowercase()),
        }
        Allowed {
            port,
            names,
            any_ip: bound.is_some_and(|ip| ip.is_unspecified()),
        }
    }

    /// Whether `authority` (`host[:port]`, as in a Host header or an
    /// origin) names this server.
    pub(crate) fn host(&self, authority: &str) -> bool {
        let (name, port) = split_authority(authority);
        let port_ok = match port {
            Some(p) => {
                p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u16>().is_ok_and(|p| p == self.port)
            }
            None => self.port == 80,
        };
        let name = name.to_ascii_lowercase();
        let ip_literal = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok();
        port_ok && (self.names.contains(&name) || (self.any_ip && ip_literal))
    }

    /// Whether a POST with these `Origin` and `Referer` headers comes from
    /// the preview's own pages.
    pub(crate) fn same_origin(&self, origin: Option<&str>, referer: Option<&str>) -> bool {
        match (origin, referer) {
            (Some(origin), _) => origin
                .strip_prefix("http://")
                .is_some_and(|authority| !authority.contains('/') && self.host(authority)),
            (None, Some(referer)) => referer.strip_prefix("http://").is_some_and(|rest| {
                let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                self.host(&rest[..end])
            }),
            (None, None) => true,
        }
    }

    /// The preview's addresses, for an error message.
    pub(crate) fn describe(&self) -> String {
        format!(
            "http://127.0.0.1:{port}/ or http://localhost:{port}/",
            port = self.port
        )
    }
}

/// `host:port` → (host, Some(port)); `[::1]:80` → (`[::1]`, Some(80)).
fn split_authority(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => {
                let (host, rest) = authority.split_at(end + 1);
                (host, rest.strip_prefix(':'))
            }
            None => (authority, None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_must_name_the_preview() {
        let a = Allowed::new("127.0.0.1", 1111);
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
        ] {
            assert!(a.host(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1",
            "127.0.0.1:1112",
            "127.0.0.1:1111.evil.example",
            "localhost.:1111",
            "10.0.0.5:1111",
            "",
            ":1111",
            "127.0.0.1:+1111",
        ] {
            assert!(!a.host(bad), "{bad}");
        }
        assert!(Allowed::new("127.0.0.1", 80).host("localhost"));
        let all = Allowed::new("0.0.0.0", 1111);
        assert!(all.host("192.168.1.20:1111"));
        assert!(all.host("[fe80::1]:1111"));
        assert!(!all.host("rebind.evil.example:1111"));
        assert!(Allowed::new("::1", 8).host("[::1]:8"));
        assert!(Allowed::new("my-laptop.local", 8).host("my-laptop.local:8"));
    }

    #[test]
    fn posts_must_come_from_the_preview() {
        let a = Allowed::new("127.0.0.1", 1111);
        assert!(a.same_origin(Some("http://127.0.0.1:1111"), None));
        assert!(a.same_origin(Some("http://localhost:1111"), Some("http://evil.example/")));
        assert!(a.same_origin(None, Some("http://127.0.0.1:1111/offer/?x=1")));
        assert!(a.same_origin(None, None));
        for (origin, referer) in [
            (Some("http://evil.example"), None),
            (Some("null"), None),
            (Some("https://127.0.0.1:1111"), None),
            (Some("http://127.0.0.1:2222"), None),
            (Some("http://127.0.0.1:1111/"), None),
            (Some("http://127.0.0.1:1111.evil.example"), None),
            (None, Some("http://evil.example/offer/")),
            (None, Some("http://127.0.0.1:1111@evil.example/")),
        ] {
            assert!(!a.same_origin(origin, referer), "{origin:?} {referer:?}");
        }
    }
}
