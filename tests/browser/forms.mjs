// Shared by the attribution scripts: every form's hidden inputs by name.
export function hiddenFields(page) {
  return page.evaluate(() => {
    const out = {};
    for (const form of document.querySelectorAll("form[data-utmost-form]")) {
      const fields = {};
      for (const el of form.querySelectorAll('input[type="hidden"]')) fields[el.name] = el.value;
      out[form.getAttribute("data-utmost-form")] = fields;
    }
    return out;
  });
}
