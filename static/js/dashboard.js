/* Charts of the dashboard and of a unit's profile, drawn with ECharts (self-hosted).
 *
 * The page carries its figures in a JSON data island (#dashboard-data or #profile-data),
 * every label already translated. Charts use the SVG renderer so that prints stay sharp;
 * before printing the page is laid out at the A4 landscape width (html.printing, see
 * css/dashboard.css) and every chart is resized to it, and back after printing.
 */
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", ' +
    '"WenQuanYi Micro Hei", sans-serif';
  var KIND_COLORS = { township: "#a61b1b", department: "#2f5d8a", committee: "#c98a12" };
  var RAG_COLORS = {
    red: "#dc3545", missing: "#343a40", amber: "#ffc107",
    due: "#adb5bd", green: "#198754", reported: "#0dcaf0"
  };
  var GRADE_COLORS = { good: "#198754", fair: "#2f6fb0", average: "#e0a800", poor: "#dc3545" };
  var RANKING_CHUNK = 25; // at most this many bars in one ranking chart
  var BAR_ROW = 22; // pixels per bar in a ranking chart
  var charts = [];

  function island(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function base(option) {
    var result = { textStyle: { fontFamily: FONT }, animation: false };
    for (var key in option) {
      if (Object.prototype.hasOwnProperty.call(option, key)) result[key] = option[key];
    }
    return result;
  }

  function make(node, option) {
    var chart = echarts.init(node, null, { renderer: "svg" });
    if (option) chart.setOption(base(option));
    charts.push(chart);
    return chart;
  }

  function empty(node, text) {
    node.innerHTML = "";
    var box = document.createElement("div");
    box.className = "dash-empty";
    box.textContent = text;
    node.appendChild(box);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Tooltip formatters return HTML: names (the office's free text) go in escaped.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }

  function percent(value) {
    return value === null || value === undefined || value === "-" ? "—" : Number(value).toFixed(2) + "%";
  }

  function sum(values) {
    return values.reduce(function (a, b) { return a + b; }, 0);
  }

  // ---- the dashboard ------------------------------------------------------------------------

  function completionChart(data) {
    var node = document.getElementById("chart-completion");
    if (!data.completion.length) return empty(node, data.labels.no_data);
    make(node, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: percent },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: data.labels.categories.concat([data.labels.overall]),
        axisLabel: { interval: 0, width: 110, overflow: "break" }
      },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: data.completion.map(function (kind) {
        return {
          name: kind.label,
          type: "bar",
          barMaxWidth: 28,
          itemStyle: { color: KIND_COLORS[kind.kind] },
          label: { show: true, position: "top", fontSize: 10, formatter: "{c}" },
          data: kind.values.concat([kind.overall])
        };
      })
    });
  }

  function statusChart(data) {
    var node = document.getElementById("chart-status");
    var statuses = data.statuses;
    if (!statuses.by_kind.length) return empty(node, data.labels.no_data);
    var rowTotals = statuses.by_kind.map(function (k) { return sum(k.counts); });
    var series = [];
    statuses.colors.forEach(function (color, i) {
      if (!statuses.total[i]) return;
      series.push({
        name: color.label + " " + statuses.total[i],
        type: "bar",
        stack: "targets",
        barWidth: "55%",
        itemStyle: { color: RAG_COLORS[color.code] },
        label: {
          show: true,
          color: color.code === "amber" || color.code === "due" || color.code === "reported"
            ? "#212529" : "#fff",
          formatter: function (p) {
            return p.value && p.value / rowTotals[p.dataIndex] >= 0.04 ? String(p.value) : "";
          }
        },
        data: statuses.by_kind.map(function (k) { return k.counts[i]; })
      });
    });
    make(node, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: statuses.by_kind.map(function (k, i) { return k.label + "\n" + rowTotals[i]; })
      },
      series: series
    });
  }

  function trendChart(data) {
    var node = document.getElementById("chart-trend");
    var select = document.getElementById("trend-unit");
    var trend = data.trend;
    if (!trend.units.length) {
      select.hidden = true;
      return empty(node, data.labels.no_data);
    }
    var byId = {};
    trend.units.forEach(function (u) { byId[u.id] = u; });
    select.appendChild(new Option(data.labels.worst, "worst"));
    data.kinds.forEach(function (kind) {
      var units = trend.units.filter(function (u) { return u.kind === kind.code; });
      if (!units.length) return;
      var group = document.createElement("optgroup");
      group.label = kind.label;
      units.forEach(function (u) {
        group.appendChild(new Option(u.name + "（" + percent(u.values[u.values.length - 1]) + "）", u.id));
      });
      select.appendChild(group);
    });
    var chart = make(node);

    function draw(choice) {
      var shown = choice === "worst"
        ? trend.worst.map(function (id) { return byId[id]; })
        : [byId[choice]];
      var kinds = {};
      shown.forEach(function (u) { kinds[u.kind] = true; });
      var series = shown.map(function (u) {
        return { name: u.name, type: "line", symbolSize: 6, data: u.values };
      });
      trend.kind_average.forEach(function (a) {
        if (!kinds[a.kind]) return;
        series.push({
          name: a.label,
          type: "line",
          symbol: "none",
          color: KIND_COLORS[a.kind],
          lineStyle: { type: "dashed", width: 2 },
          data: a.values
        });
      });
      series[0].markLine = {
        silent: true,
        symbol: "none",
        label: { position: "insideStartTop", formatter: "{b}", fontSize: 10 },
        data: [
          { name: data.labels.green_line, yAxis: data.thresholds.green,
            lineStyle: { color: RAG_COLORS.green, type: "dotted" } },
          { name: data.labels.amber_line, yAxis: data.thresholds.amber,
            lineStyle: { color: "#b8860b", type: "dotted" } }
        ]
      };
      // The y axis starts a little below the lowest value (and the amber line), so that
      // lines close to 100% stay apart.
      var lowest = Math.min.apply(null, series.map(function (x) {
        return Math.min.apply(null, x.data.filter(function (v) { return v !== null; }));
      }).concat([data.thresholds.amber]));
      chart.setOption(base({
        tooltip: { trigger: "axis", valueFormatter: percent },
        legend: { top: 0, type: "scroll" },
        grid: { left: 8, right: 40, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", boundaryGap: false, data: trend.months },
        yAxis: {
          type: "value",
          min: Math.max(0, Math.floor((lowest - 5) / 10) * 10),
          max: 100,
          axisLabel: { formatter: "{value}%" }
        },
        series: series
      }), { notMerge: true });
    }

    select.addEventListener("change", function () { draw(select.value); });
    draw("worst");
  }

  function chunks(items) {
    var count = Math.ceil(items.length / RANKING_CHUNK);
    var size = Math.ceil(items.length / count);
    var result = [];
    for (var i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
    return result;
  }

  function rankingCharts(data) {
    var root = document.getElementById("rankings");
    var gradeLabel = {};
    data.grades.forEach(function (g) { gradeLabel[g.code] = g.label; });
    data.rankings.forEach(function (group) {
      var totals = group.units.map(function (u) { return u.total; });
      var low = Math.max(0, Math.floor((Math.min.apply(null, totals) - 5) / 10) * 10);
      var high = Math.ceil(Math.max.apply(null, totals) / 10) * 10;
      var grades = data.grades.filter(function (g) {
        return group.units.some(function (u) { return u.grade === g.code; });
      });
      var card = element("div", "card dash-card mb-3");
      card.appendChild(element("div", "card-header bg-white fw-semibold", group.title));
      var row = element("div", "row g-2 card-body p-2");
      card.appendChild(row);
      root.appendChild(card);
      var parts = chunks(group.units);
      parts.forEach(function (part, index) {
        var col = element("div", parts.length === 1 ? "col-12"
          : parts.length === 2 ? "col-lg-6 dash-col" : "col-lg-4 dash-col-3");
        var box = element("div", "dash-ranking");
        box.style.height = part.length * BAR_ROW + 56 + "px";
        col.appendChild(box);
        row.appendChild(col);
        make(box, {
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              var u = part[p.dataIndex];
              return u.rank + ". " + escapeHtml(u.name) + "<br>" + data.labels.total + " " +
                u.total.toFixed(2) + "<br>" + data.labels.grade + " " + gradeLabel[u.grade] +
                (u.veto ? "（" + data.labels.veto + "）" : "");
            }
          },
          legend: index === 0 ? { top: 0, left: 0 } : { show: false },
          grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
          xAxis: { type: "value", min: low, max: high, splitNumber: 4 },
          yAxis: {
            type: "category",
            inverse: true,
            axisTick: { show: false },
            axisLabel: { fontSize: 12, width: 150, overflow: "truncate" },
            data: part.map(function (u) { return u.rank + ". " + u.name; })
          },
          series: grades.map(function (g) {
            return {
              name: g.label,
              type: "bar",
              stack: "total",
              barWidth: 14,
              itemStyle: { color: GRADE_COLORS[g.code] },
              label: {
                show: true,
                position: "right",
                fontSize: 11,
                // The grade (and a veto) in words beside the bar: legible in black and white.
                formatter: function (p) {
                  if (p.value === "-") return "";
                  var veto = part[p.dataIndex].veto ? "（" + data.labels.veto + "）" : "";
                  return p.value.toFixed(2) + " " + g.label + veto;
                }
              },
              data: part.map(function (u) { return u.grade === g.code ? u.total : "-"; })
            };
          })
        });
      });
    });
  }

  function warningChart(data) {
    var node = document.getElementById("chart-warnings");
    var w = data.warnings;
    if (!w.months.length) return empty(node, data.labels.no_data);
    make(node, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: w.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.issued, data: w.issued, color: "#6c757d" },
        { name: data.labels.open, data: w.open, color: "#ffc107" },
        { name: data.labels.overdue, data: w.overdue, color: "#dc3545" }
      ].map(function (s) {
        s.type = "bar";
        s.barMaxWidth = 22;
        s.label = { show: true, position: "top", fontSize: 10 };
        return s;
      })
    });
  }

  function inspectionChart(data) {
    var node = document.getElementById("chart-inspections");
    var ins = data.inspections;
    if (!sum(ins.inspections)) return empty(node, data.labels.no_data);
    make(node, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: {
        type: "category", data: ins.kinds, axisLabel: { interval: 0, width: 100, overflow: "break" }
      },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.inspections, data: ins.inspections, color: "#2f5d8a" },
        { name: data.labels.findings, data: ins.findings, color: "#a61b1b" }
      ].map(function (s) {
        s.type = "bar";
        s.barMaxWidth = 32;
        s.label = { show: true, position: "top", fontSize: 10 };
        return s;
      })
    });
  }

  // ---- a unit's profile -----------------------------------------------------------------------

  function profileChart(data) {
    var node = document.getElementById("chart-profile");
    if (!data.unit.some(function (v) { return v !== null; })) return empty(node, data.labels.no_data);
    function tooltip(scores) {
      return function (p) {
        var i = p.dataIndex;
        return escapeHtml(p.seriesName) + "<br>" + escapeHtml(p.name) + "：" +
          percent(p.value) + "<br>" +
          data.labels.score + " " + (scores[i] === null ? "—" : scores[i].toFixed(2)) +
          " / " + data.labels.weight + " " + (data.weights[i] === null ? "—" : data.weights[i]);
      };
    }
    make(node, {
      tooltip: { trigger: "item" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: {
        type: "category", data: data.categories,
        axisLabel: { interval: 0, width: 120, overflow: "break" }
      },
      yAxis: { type: "value", max: 100, name: data.labels.completion, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: data.labels.unit, data: data.unit, color: "#a61b1b",
          tooltip: { formatter: tooltip(data.unit_scores) } },
        { name: data.labels.kind_average, data: data.kind_average, color: "#8f9aa6",
          tooltip: { formatter: tooltip(data.kind_scores) } }
      ].map(function (s) {
        s.type = "bar";
        s.barMaxWidth = 48;
        s.label = { show: true, position: "top", formatter: "{c}%" };
        return s;
      })
    });
  }

  // ---- resizing and printing --------------------------------------------------------------------

  function fit() {
    charts.forEach(function (chart) { chart.resize(); });
  }

  function toPrint() {
    document.documentElement.classList.add("printing");
    fit();
  }

  function toScreen() {
    document.documentElement.classList.remove("printing");
    fit();
  }

  function watch() {
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(fit, 150);
    });
    window.addEventListener("beforeprint", toPrint);
    window.addEventListener("afterprint", toScreen);
    var media = window.matchMedia ? window.matchMedia("print") : null;
    if (media) {
      var onChange = function (event) { (event.matches ? toPrint : toScreen)(); };
      if (media.addEventListener) media.addEventListener("change", onChange);
      else if (media.addListener) media.addListener(onChange);
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-dash-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  var dashboard = island("dashboard-data");
  if (dashboard) {
    completionChart(dashboard);
    statusChart(dashboard);
    trendChart(dashboard);
    rankingCharts(dashboard);
    warningChart(dashboard);
    inspectionChart(dashboard);
  }
  var profile = island("profile-data");
  if (profile) profileChart(profile);
  watch();
})();
