// 月度质量评审: complaints by class / severity and by product / department. The figures
// come from a json_script element (never from markup built by string concatenation).
(function () {
  function bars(id, title, rows) {
    var el = document.getElementById(id);
    if (!el) return;
    echarts.init(el).setOption({
      title: { text: title, left: "center" }, tooltip: {},
      grid: { left: 40, right: 10, bottom: 60 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }) }]
    });
  }
  function draw() {
    var src = document.getElementById("chart-data");
    if (!src || !window.echarts) return;
    var data = JSON.parse(src.textContent);
    var t = document.documentElement.lang === "en"
      ? ["Complaints by class", "Complaints by product"] : ["投诉类别", "投诉产品"];
    bars("chart-category", t[0], data.category);
    bars("chart-product", t[1], data.product);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
