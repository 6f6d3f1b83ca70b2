// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.querySelector(".messages") || document.createElement("ul");
  box.className = "messages";
  var msg = "操作失败";
  try { msg = JSON.parse(evt.detail.xhr.responseText).message || msg; } catch (e) { /* not JSON */ }
  box.innerHTML = '<li class="error">' + msg.replace(/</g, "&lt;") + "</li>";
  document.querySelector("main").prepend(box);
});

// Behaviour declared by data attributes instead of inline handlers: the Content-Security-Policy
// forbids inline script (onclick=, onchange=, hx-on), so every page's small actions live here.
//   data-print                 click → window.print()
//   data-toggle-nav            click → toggles the phone menu
//   data-select-on-click       click → selects the input's text (copy links)
//   data-submit-on-change      change → submits the enclosing form
//   data-confirm="…"           submit of this form asks first
//   data-remove-closest="sel"  after this element's htmx request, removes its closest(sel)
document.addEventListener("click", function (evt) {
  var el = evt.target.closest ? evt.target.closest("[data-print],[data-toggle-nav],[data-select-on-click]") : null;
  if (!el) return;
  if (el.hasAttribute("data-print")) window.print();
  else if (el.hasAttribute("data-toggle-nav")) document.body.classList.toggle("nav-open");
  else if (el.hasAttribute("data-select-on-click") && el.select) el.select();
});
document.addEventListener("change", function (evt) {
  var el = evt.target;
  if (el && el.hasAttribute && el.hasAttribute("data-submit-on-change") && el.form) el.form.submit();
});
document.addEventListener("submit", function (evt) {
  var form = evt.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) evt.preventDefault();
});
document.addEventListener("htmx:afterRequest", function (evt) {
  var el = evt.detail && evt.detail.elt;
  var sel = el && el.getAttribute && el.getAttribute("data-remove-closest");
  if (!sel) return;
  var gone = el.closest(sel);
  if (gone) gone.remove();
});

// A long form in folding sections (details[data-fold-phone], 9#18): on a phone every section
// but the first starts folded, so the form is a few screens, not one 5 000 px page; a section
// holding a field the server refused stays open.
(function () {
  if (!window.matchMedia || !window.matchMedia("(max-width: 640px)").matches) return;
  var folds = document.querySelectorAll("details[data-fold-phone]");
  for (var i = 1; i < folds.length; i++) {
    if (!folds[i].querySelector(".fielderror, [aria-invalid=true]")) folds[i].open = false;
  }
})();
