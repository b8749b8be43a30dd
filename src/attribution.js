<script data-utmost="attribution">
(function () {
  var W = WINDOW_DAYS * 864e5, K = "utmost_attribution", N = [TOUCH_NAMES];
  var now = Date.now(), q = new URLSearchParams(location.search), t = {}, hit = false, s = null;
  N.forEach(function (n) { var v = q.get(n); if (v) { t[n] = v.slice(0, 500); hit = true; } });
  try { s = JSON.parse(localStorage.getItem(K)); } catch (e) { s = null; }
  if (!s || typeof s !== "object") s = {};
  function fresh(x) { return x && typeof x === "object" && typeof x.at === "number" && now - x.at < W && x.v && typeof x.v === "object"; }
  if (!fresh(s.ft)) s.ft = { v: t, landing_page: location.pathname, referrer: document.referrer.slice(0, 500), at: now };
  if (hit) s.lt = { v: t, at: now }; else if (!fresh(s.lt)) delete s.lt;
  try { localStorage.setItem(K, JSON.stringify(s)); } catch (e) {}
  var lt = s.lt ? s.lt.v : {}, ft = s.ft, m = { ft_landing_page: ft.landing_page, ft_referrer: ft.referrer, ft_at: new Date(ft.at).toISOString() };
  N.forEach(function (n) { m[n] = lt[n]; m["ft_" + n] = ft.v[n]; });
  var hutk = /(?:^|;\s*)hubspotutk=([^;]{1,100})/.exec(document.cookie);
  document.querySelectorAll("form[data-utmost-form]").forEach(function (f) {
    f.querySelectorAll("input[data-utmost-touch]").forEach(function (el) { var v = m[el.getAttribute("data-utmost-touch")]; el.value = v == null ? "" : String(v); });
    var h = f.querySelector('input[name="hs_context"]'), c = null;
    if (!h) return;
    try { c = JSON.parse(h.value); } catch (e) {}
    if (!c || typeof c !== "object") c = {};
    c.pageUrl = location.href;
    c.pageName = document.title.slice(0, 500);
    if (hutk) c.hutk = hutk[1];
    h.value = JSON.stringify(c);
  });
})();
</script>
