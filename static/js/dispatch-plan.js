// 智能派工 screen: the route plot (ECharts, longitude/latitude, no map tiles), dragging a
// visit block onto another technician's row, and the per-visit select. Both edits post to
// the plan's move URL and replace the plan body with the server's answer.
(function () {
  var chart = null;

  function drawChart() {
    var el = document.getElementById("plan-chart");
    var src = document.getElementById("plan-chart-data");
    if (chart) { chart.dispose(); chart = null; }
    if (!el || !src || typeof echarts === "undefined") return;
    var data = JSON.parse(src.textContent);
    var series = data.routes.map(function (r) {
      return {
        name: r.name, type: "line", data: r.points, showSymbol: true, symbolSize: 9,
        lineStyle: { color: r.colour, width: 2 }, itemStyle: { color: r.colour },
        encode: { x: 0, y: 1, tooltip: 2 }
      };
    });
    series.push({
      name: "驻地", type: "scatter", symbol: "rect", symbolSize: 12,
      data: data.routes.map(function (r) { return r.home; }),
      itemStyle: { color: "#1f2933" }, encode: { x: 0, y: 1, tooltip: 2 }
    });
    if (data.unassigned.length) {
      series.push({
        name: "未安排", type: "scatter", symbol: "triangle", symbolSize: 13,
        data: data.unassigned, itemStyle: { color: "#c62828" }, encode: { x: 0, y: 1, tooltip: 2 }
      });
    }
    chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) { return p.seriesName + "<br>" + p.value[2]; } },
      legend: { type: "scroll", top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "value", name: "经度", scale: true, axisLabel: { formatter: "{value}°" } },
      yAxis: { type: "value", name: "纬度", scale: true, axisLabel: { formatter: "{value}°" } },
      series: series
    });
  }

  function showError(message) {
    var box = document.querySelector(".messages") || document.createElement("ul");
    box.className = "messages";
    box.innerHTML = '<li class="error" data-testid="plan-error">' + String(message).replace(/</g, "&lt;") + "</li>";
    document.querySelector("main").prepend(box);
  }

  function clearError() {
    var box = document.querySelector(".messages");
    if (box) box.remove();
  }

  function csrf() {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  function post(values) {
    var body = document.getElementById("plan-body");
    var params = new URLSearchParams(values);
    return fetch(body.dataset.moveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrf(), "HX-Request": "true" },
      body: params,
      credentials: "same-origin"
    }).then(function (response) {
      if (response.ok) {
        return response.text().then(function (html) {
          clearError();
          body.outerHTML = html;
          init();
        });
      }
      return response.json().then(function (err) { showError(err.message || "调整失败"); },
        function () { showError("调整失败"); });
    });
  }

  function positionIn(row, x, dragged) {
    var blocks = Array.prototype.slice.call(row.querySelectorAll(".tl-visit"));
    var index = 0;
    blocks.forEach(function (b) {
      if (b.dataset.job === dragged) return;
      var r = b.getBoundingClientRect();
      if (r.left + r.width / 2 < x) index += 1;
    });
    return index;
  }

  function init() {
    drawChart();
    var body = document.getElementById("plan-body");
    if (!body || body.dataset.editable !== "1") return;
    body.querySelectorAll(".tl-visit[draggable=true]").forEach(function (block) {
      block.addEventListener("dragstart", function (evt) {
        evt.dataTransfer.setData("text/plain", block.dataset.job);
        evt.dataTransfer.effectAllowed = "move";
        block.classList.add("dragging");
      });
      block.addEventListener("dragend", function () { block.classList.remove("dragging"); });
    });
    body.querySelectorAll(".tl-row[data-tech]").forEach(function (row) {
      row.addEventListener("dragover", function (evt) {
        evt.preventDefault();
        evt.dataTransfer.dropEffect = "move";
        row.classList.add("drop-target");
      });
      row.addEventListener("dragleave", function () { row.classList.remove("drop-target"); });
      row.addEventListener("drop", function (evt) {
        evt.preventDefault();
        row.classList.remove("drop-target");
        var job = evt.dataTransfer.getData("text/plain");
        if (!job) return;
        post({ job_id: job, technician: row.dataset.tech, index: positionIn(row, evt.clientX, job) });
      });
    });
    body.querySelectorAll("form.move-form").forEach(function (form) {
      form.addEventListener("submit", function (evt) {
        evt.preventDefault();
        post(new FormData(form));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.target && evt.target.id === "plan-body") init();
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (document.getElementById("plan-chart") && !chart) init();
  });
  window.addEventListener("resize", function () { if (chart) chart.resize(); });
})();
