// Parts picker (report and quote forms): a found part is added as a row with quantity
// (and, in the report, whether the old part is kept for return).
(function () {
  function addRow(picker, code, name) {
    var rows = picker.querySelector(".partrows");
    var existing = rows.querySelector('li[data-code="' + CSS.escape(code) + '"]');
    if (existing) {
      var qty = existing.querySelector("input.qty");
      qty.value = String((parseInt(qty.value, 10) || 0) + 1);
      return;
    }
    var tpl = picker.querySelector("template.partrow-template");
    var li = tpl.content.firstElementChild.cloneNode(true);
    li.dataset.code = code;
    li.querySelector('input[name="part_code"]').value = code;
    li.querySelector(".name").textContent = code + " " + name;
    rows.appendChild(li);
    var none = document.querySelector('input[name="no_parts_used"]');
    if (none) none.checked = false;
  }
  document.addEventListener("click", function (evt) {
    var add = evt.target.closest(".part-add");
    if (add) {
      var picker = add.closest(".parts-picker");
      addRow(picker, add.dataset.code, add.dataset.name);
      picker.querySelector(".part-results").innerHTML = "";
      var search = picker.querySelector(".part-search");
      search.value = "";
      return;
    }
    var remove = evt.target.closest(".part-remove");
    if (remove) remove.closest("li").remove();
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter" && evt.target.matches(".part-search")) {
      evt.preventDefault();
      if (window.htmx) window.htmx.trigger(evt.target, "search");
    }
  });
})();
