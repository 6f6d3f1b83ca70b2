// 质量预警: the trend of the warning's fault per month. The figures come from a json_script
// element (never from markup built by string concatenation).
(function () {
  function draw() {
    var src = document.getElementById("chart-data");
    var el = document.getElementById("chart-trend");
    if (!src || !el || !window.echarts) return;
    var data = JSON.parse(src.textContent);
    echarts.init(el).setOption({
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: "故障次数", data: data.counts }]
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
