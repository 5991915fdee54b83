// Operations pages: "select all" checkboxes for bulk category edits (no inline scripts: CSP).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("[data-check-all]")) return;
  var name = box.getAttribute("data-check-all");
  var form = box.closest("form");
  if (!form) return;
  form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (item) {
    item.checked = box.checked;
  });
});
