// The admin's export page (templates/admin/import_export/export.html): the "Select all" box
// ticks or clears every field box. django-import-export binds this with an inline onchange=,
// which the Content-Security-Policy refuses; its own function does the work.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("input.select-toggle");
  if (toggle && typeof onSelectToggleChange === "function") {
    toggle.addEventListener("change", onSelectToggleChange);
  }
});
