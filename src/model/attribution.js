<script data-utmost="attribution">
(function () {
  var W = WINDOW_DAYS * 864e5, K = "utmost_attribution", N = [TOUCH_NAMES], now = Date.now(), s = null;
  // Stored values are checked like the URL's: known names, strings, capped.
  function str(x) { return typeof x === "string" ? x.slice(0, 500) : ""; }
  function vals(o, get) { var r = {}; N.forEach(function (n) { var v = str(get(o, n)); if (v) r[n] = v; }); return r; }
  function own(o, n) { return o && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, n) ? o[n] : ""; }
  function at(x) { var t = own(x, "at"); return typeof t === "number" && t <= now && now - t < W ? t : 0; }
  var q = new URLSearchParams(location.search), t = vals(q, function (q, n) { return q.get(n); });
  try { s = JSON.parse(localStorage.getItem(K)); } catch (e) {}
  var ft = own(s, "ft"), lt = own(s, "lt");
  ft = at(ft) ? { v: vals(own(ft, "v"), own), landing_page: str(own(ft, "landing_page")), referrer: str(own(ft, "referrer")), at: at(ft) }
    : { v: t, landing_page: location.pathname.slice(0, 500), referrer: document.referrer.slice(0, 500), at: now };
  lt = Object.keys(t).length ? { v: t, at: now } : at(lt) ? { v: vals(own(lt, "v"), own), at: at(lt) } : null;
  try { localStorage.setItem(K, JSON.stringify({ ft: ft, lt: lt })); } catch (e) {}
  var m = { ft_landing_page: ft.landing_page, ft_referrer: ft.referrer, ft_at: new Date(ft.at).toISOString() };
  N.forEach(function (n) { m[n] = lt ? lt.v[n] : ""; m["ft_" + n] = ft.v[n]; });
  var hutk = /(?:^|;\s*)hubspotutk=([^;]{1,100})/.exec(document.cookie);
  function fill(f) {
    f.querySelectorAll("input[data-utmost-touch]").forEach(function (el) { el.value = m[el.getAttribute("data-utmost-touch")] || ""; });
    var h = f.querySelector('input[name="hs_context"]'), c = null;
    if (!h) return;
    try { c = JSON.parse(h.value); } catch (e) {}
    if (!c || typeof c !== "object") c = {};
    c.pageUrl = location.href;
    c.pageName = document.title.slice(0, 500);
    if (hutk) c.hutk = hutk[1];
    h.value = JSON.stringify(c);
  }
  // One form that cannot be filled leaves the others filled.
  document.querySelectorAll("form[data-utmost-form]").forEach(function (f) { try { fill(f); } catch (e) {} });
})();
</script>
