// Technician's work order page: the customer's signature on the phone (signature_pad →
// PNG data URL) and the optional location at check-in.
(function () {
  function setupSignature() {
    var canvas = document.getElementById("signature-canvas");
    var form = document.getElementById("sign-form");
    if (!canvas || !form || typeof SignaturePad === "undefined") return;
    var pad = new SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)", penColor: "rgb(20,30,60)" });
    var placeholder = canvas.parentElement.querySelector(".placeholder");
    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = pad.isEmpty() ? null : pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      if (data) pad.fromData(data);
    }
    window.addEventListener("resize", resize);
    resize();
    pad.addEventListener("beginStroke", function () { if (placeholder) placeholder.hidden = true; });
    document.getElementById("signature-clear").addEventListener("click", function () {
      pad.clear();
      if (placeholder) placeholder.hidden = false;
    });
    form.addEventListener("submit", function (evt) {
      var error = document.getElementById("sign-error");
      if (pad.isEmpty()) {
        evt.preventDefault();
        error.hidden = false;
        return;
      }
      error.hidden = true;
      document.getElementById("signature_png").value = pad.toDataURL("image/png");
    });
  }

  function setupCheckIn() {
    var form = document.getElementById("checkin-form");
    if (!form || !navigator.geolocation) return;
    var status = document.getElementById("geo-status");
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      form.elements.lng.value = pos.coords.longitude.toFixed(6);
      if (status) status.textContent = "已获取位置";
    }, function () {
      if (status) status.textContent = "未获取位置（可直接签到）";
    }, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSignature();
    setupCheckIn();
  });
})();
