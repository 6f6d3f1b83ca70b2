// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.querySelector(".messages") || document.createElement("ul");
  box.className = "messages";
  var msg = "操作失败";
  try { msg = JSON.parse(evt.detail.xhr.responseText).message || msg; } catch (e) { /* not JSON */ }
  box.innerHTML = '<li class="error">' + msg.replace(/</g, "&lt;") + "</li>";
  document.querySelector("main").prepend(box);
});
