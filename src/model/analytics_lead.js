<script data-utmost="analytics-lead">
(function () {
  // Forms whose page fields are sent under other names (`rename`).
  var R = RENAMES;
  function field(f, n) {
    var r = R[f.getAttribute("data-utmost-form")] || {};
    var el = f.querySelector('input[type="hidden"][name="' + (r[n] || n) + '"]');
    return el ? String(el.value).slice(0, 500) : "";
  }
  // A form that passed validation is about to be sent: tell the tool.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (e.defaultPrevented || !f || !f.hasAttribute || !f.hasAttribute("data-utmost-form")) return;
    var lead = { campaign: field(f, "campaign_id"), form: f.getAttribute("data-utmost-form"), page: field(f, "page"), variant: field(f, "variant") };
    try { SEND } catch (x) {}
  });
})();
</script>
