(function () {
  var version = VERSION, overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "utmost-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.94);color:#fff;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:32px;overflow:auto;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "utmost: the last edit broke the build; showing the last good version\n\n" + text;
  }
  function swapCss() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("utmost", Date.now());
      link.href = url.href;
    });
  }
  // The page this tab shows: an edit to every page renders it first.
  var events = new EventSource("/__utmost/events?page=" + encodeURIComponent(location.pathname));
  events.addEventListener("reload", function (e) {
    // Pages are current since the version in the data (a page loaded while
    // an edit was rendering need not reload when the render settles).
    if (Number(e.data || e.lastEventId) > version) location.reload();
    else if (overlay) { overlay.remove(); overlay = null; }
  });
  events.addEventListener("css", function (e) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (Number(e.lastEventId) > version) { version = Number(e.lastEventId); swapCss(); }
  });
  events.addEventListener("failed", function (e) { show(e.data); });
})();
