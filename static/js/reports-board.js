// KPI看板: one ECharts chart per panel. The specs come from a json_script element (never
// from markup built by string concatenation); titles and labels are already translated.
(function () {
  function option(spec) {
    var tooltip = { trigger: spec.kind === "pie" ? "item" : "axis" };
    if (spec.kind === "pie") {
      var values = spec.series.length ? spec.series[0].data : [];
      return {
        tooltip: tooltip,
        series: [{ type: "pie", radius: "60%", data: spec.categories.map(function (c, i) {
          return { name: c, value: values[i] };
        }) }]
      };
    }
    return {
      tooltip: tooltip,
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}" + (spec.unit || "") } },
      series: spec.series.map(function (s) {
        return {
          name: s.name, data: s.data,
          type: spec.kind === "line" ? "line" : "bar",
          stack: spec.kind === "stack" ? "all" : undefined
        };
      })
    };
  }
  function draw() {
    var src = document.getElementById("report-charts");
    if (!src || !window.echarts) return;
    var specs = JSON.parse(src.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = specs[el.getAttribute("data-chart")];
      if (!spec) return;
      var chart = echarts.init(el);
      chart.setOption(option(spec));
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    // a panel folded on a phone (details[data-fold-phone]) draws its chart at its size when opened
    document.addEventListener("toggle", function (evt) {
      if (evt.target.open) charts.forEach(function (c) { c.resize(); });
    }, true);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
