// 登记报修: a click on one of the customer's contacts fills the contact fields.
document.addEventListener("click", function (evt) {
  var btn = evt.target.closest(".contact-pick");
  if (!btn) return;
  var name = document.getElementById("contact_name");
  var phone = document.getElementById("contact_phone");
  if (name) name.value = btn.dataset.name || "";
  if (phone) phone.value = btn.dataset.phone || "";
});
// Enter in a look-up box searches instead of submitting the whole form.
document.addEventListener("keydown", function (evt) {
  if (evt.key !== "Enter" || !evt.target.matches("#serial-search, #customer-search")) return;
  evt.preventDefault();
  if (window.htmx) window.htmx.trigger(evt.target, "search");
});
