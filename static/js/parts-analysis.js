// 月度补件分析: the two charts. The figures come from a json_script element (never from
// markup built by string concatenation), so a part code cannot break out of the data.
(function () {
  function draw() {
    var src = document.getElementById("chart-data");
    if (!src || !window.echarts) return;
    var data = JSON.parse(src.textContent);
    echarts.init(document.getElementById("chart-causes")).setOption({
      title: { text: "补件原因 / 免费与收费", left: "center" }, tooltip: { trigger: "item" },
      series: [
        { type: "pie", radius: ["0%", "40%"], data: data.charge, label: { position: "inner" } },
        { type: "pie", radius: ["55%", "75%"], data: data.causes }
      ]
    });
    echarts.init(document.getElementById("chart-parts")).setOption({
      title: { text: "补件数量前十配件", left: "center" }, tooltip: {},
      xAxis: { type: "category", data: data.parts.map(function (p) { return p[0]; }) }, yAxis: { type: "value" },
      series: [{ type: "bar", data: data.parts.map(function (p) { return p[1]; }) }]
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
