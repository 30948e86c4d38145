// Dashboard charts (ECharts, served by the site). The figures come from the page's
// <script type="application/json" id="chart-data">, the same numbers as its tables.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#1d4e89", "#3a86c8", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"];

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var instance = echarts.init(el);
    option.color = palette;
    option.tooltip = option.tooltip || { trigger: "axis" };
    option.grid = option.grid || { left: 8, right: 8, top: 32, bottom: 8, containLabel: true };
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
    return instance;
  }

  function empty(id) {
    var el = document.getElementById(id);
    if (el) { el.innerHTML = '<p class="text-muted small mb-0">暂无数据</p>'; el.style.height = "auto"; }
  }

  function bars(id, rows, label) {
    if (!rows.length) { empty(id); return null; }
    return chart(id, {
      legend: { top: 0 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: [{ type: "value", name: "场" }, { type: "value", name: "人次" }],
      series: [
        { name: label || "活动（场）", type: "bar", data: rows.map(function (r) { return r[1]; }) },
        { name: "参与（人次）", type: "line", yAxisIndex: 1, data: rows.map(function (r) { return r[2]; }) }
      ]
    });
  }

  bars("chart-weeks", data.weeks);
  bars("chart-domains", data.domains);
  bars("chart-forms", data.forms);

  if (data.linkage.some(function (r) { return r[1] > 0; })) {
    chart("chart-linkage", {
      tooltip: { trigger: "item" },
      xAxis: { type: "value", name: "场" },
      yAxis: { type: "category", data: data.linkage.map(function (r) { return r[0]; }) },
      series: [{ name: "参与的活动（场）", type: "bar", data: data.linkage.map(function (r) { return r[1]; }) }]
    });
  } else { empty("chart-linkage"); }

  var children = document.getElementById("chart-children");
  if (children) {
    var instance = chart("chart-children", {
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.children.map(function (r) { return r[0]; }), axisLabel: { interval: 0, rotate: data.children.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: "场" },
      series: [{ name: "活动（场）", type: "bar", data: data.children.map(function (r) { return r[1]; }), cursor: "pointer" }]
    });
    if (instance) {
      instance.on("click", function (params) {
        var code = data.children[params.dataIndex][2];
        window.location.href = children.dataset.drill + encodeURIComponent(code) + "/?notice=" + children.dataset.notice;
      });
    }
  }
}());
