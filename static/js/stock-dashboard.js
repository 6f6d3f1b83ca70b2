// 库存看板: the four charts. The figures come from a json_script element (never from markup
// built by string concatenation), so a part code or a warehouse name cannot break out.
(function () {
  function bar(id, title, rows) {
    echarts.init(document.getElementById(id)).setOption({
      title: { text: title, left: "center" }, tooltip: {},
      xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: rows.map(function (r) { return Number(r[1]); }) }]
    });
  }
  function pie(id, title, rows) {
    echarts.init(document.getElementById(id)).setOption({
      title: { text: title, left: "center" }, tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: "60%", data: rows.map(function (r) {
        return { name: r.name, value: Number(r.value) };
      }) }]
    });
  }
  function draw() {
    var src = document.getElementById("chart-data");
    if (!src || !window.echarts) return;
    var data = JSON.parse(src.textContent);
    var t = JSON.parse(document.getElementById("chart-titles").textContent);
    bar("chart-places", t.places, data.places);
    pie("chart-slow", t.slow, data.slow);
    bar("chart-red", t.red, data.red_parts);
    pie("chart-pool", t.pool, data.pool);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
