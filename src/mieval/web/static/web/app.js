/* mieval: the pages' charts. Each chart is an element with data-chart="ID", where ID is the id
   of a json_script element holding the chart's data (the same numbers as the page's table).
   No inline script anywhere (CSP): everything starts here, and again after each htmx swap. */
(function () {
  "use strict";

  var PALETTE = ["#1f5fa8", "#b3261e", "#2e7d32", "#a15c00", "#6a3d9a", "#00838f",
                 "#c2185b", "#5d6d7e", "#827717", "#4e342e", "#0277bd", "#ad1457"];

  function readData(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function fmt(x, decimals) {
    if (x === null || x === undefined || Number.isNaN(x)) return "—";
    return Number(x).toLocaleString(document.documentElement.lang || undefined, {
      minimumFractionDigits: decimals || 0, maximumFractionDigits: decimals || 0
    });
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  /* A tooltip without inline style attributes (they would be blocked by the CSP). */
  function tooltip(decimals, suffix) {
    return {
      trigger: "axis",
      formatter: function (items) {
        if (!items.length) return "";
        var lines = ["<strong>" + escapeHtml(items[0].axisValueLabel) + "</strong>"];
        items.forEach(function (it) {
          if (it.seriesName.charAt(0) === "_") return;
          var v = Array.isArray(it.value) ? it.value[1] : it.value;
          lines.push('<div class="tip-row"><span>' + escapeHtml(it.seriesName) + "</span><b>" +
                     fmt(v, decimals) + (suffix || "") + "</b></div>");
        });
        return lines.join("");
      }
    };
  }

  function optionCounts(data, kind) {
    if (kind === "pie") {
      return {
        color: PALETTE,
        tooltip: {trigger: "item", formatter: function (p) {
          return escapeHtml(p.name) + ": <b>" + p.value + "</b> (" + p.percent + "%)";
        }},
        legend: {bottom: 0, type: "scroll"},
        series: [{type: "pie", radius: ["38%", "68%"], center: ["50%", "44%"],
                  label: {formatter: "{c}"},
                  data: data.labels.map(function (l, i) { return {name: l, value: data.values[i]}; })}]
      };
    }
    return {
      color: PALETTE,
      grid: {left: 40, right: 16, top: 28, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis"},
      xAxis: {type: "category", data: data.labels, axisLabel: {interval: 0, rotate: data.labels.length > 4 ? 30 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: data.values, barMaxWidth: 36, label: {show: true, position: "top"}}]
    };
  }

  function optionCompleteness(data) {
    var labels = data.labels.slice().reverse();
    var values = data.values.slice().reverse();
    return {
      grid: {left: 8, right: 56, top: 8, bottom: 8, containLabel: true},
      tooltip: tooltip(1, "%"),
      xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
      yAxis: {type: "category", data: labels, axisLabel: {width: 180, overflow: "truncate"}},
      series: [{type: "bar", name: "%", data: values, barMaxWidth: 16,
                itemStyle: {color: "#1f5fa8"},
                label: {show: true, position: "right", formatter: function (p) { return fmt(p.value, 1) + "%"; }}}]
    };
  }

  function optionTrends(data, indicator) {
    var chosen = data.indicators.filter(function (i) { return i.code === indicator; })[0] || data.indicators[0];
    var series = data.series.filter(function (s) { return s.indicator === chosen.code; });
    return {
      color: PALETTE,
      grid: {left: 8, right: 24, top: 40, bottom: 8, containLabel: true},
      title: {text: chosen.name + (chosen.unit ? " (" + chosen.unit + ")" : ""), textStyle: {fontSize: 13, fontWeight: 500}, left: 0, top: 0},
      tooltip: tooltip(2),
      legend: {top: 0, right: 0, type: "scroll", width: "55%"},
      xAxis: {type: "category", data: data.years.map(String), boundaryGap: false},
      yAxis: {type: "value", scale: true},
      series: series.map(function (s) {
        return {type: "line", name: s.name, data: s.values, connectNulls: false, symbolSize: 7};
      })
    };
  }

  /* The composition effect of one indicator and group: within, entry and exit stacked per year
     (ECharts stacks the positive and the negative parts apart), the change of the mean as
     points; a year without a split (no base reported both years) has no bars. */
  function optionDecomposition(data, indicator, group) {
    var chosen = data.indicators.filter(function (i) { return i.code === indicator; })[0] || data.indicators[0];
    var groupCode = group || (data.groups[0] && data.groups[0].code);
    var found = data.series.filter(function (s) {
      return s.indicator === chosen.code && s.group === groupCode;
    })[0];
    var none = data.years.map(function () { return null; });
    var parts = found || {within: none, entry: none, exit: none, change: none};
    var groupName = (data.groups.filter(function (g) { return g.code === groupCode; })[0] || {}).name;
    var title = chosen.name + (chosen.unit ? " (" + chosen.unit + ")" : "");
    if (data.groups.length > 1 && groupName) title += " · " + groupName;
    function bar(key, color) {
      return {type: "bar", name: data.text[key], stack: "parts", data: parts[key],
              itemStyle: {color: color}, barMaxWidth: 48};
    }
    return {
      grid: {left: 8, right: 24, top: 40, bottom: 8, containLabel: true},
      title: {text: title, textStyle: {fontSize: 13, fontWeight: 500}, left: 0, top: 0},
      tooltip: tooltip(chosen.decimals + 1),
      legend: {top: 0, right: 0},
      xAxis: {type: "category", data: data.years.map(String)},
      yAxis: {type: "value"},
      series: [
        bar("within", "#1f5fa8"),
        bar("entry", "#2e7d32"),
        bar("exit", "#b3261e"),
        {type: "scatter", name: data.text.change, data: parts.change, symbol: "diamond",
         symbolSize: 11, itemStyle: {color: "#222"}, z: 5}
      ]
    };
  }

  function optionPeers(data) {
    var band = data.q3.map(function (q3, i) {
      var q1 = data.q1[i];
      return (q3 === null || q1 === null) ? null : q3 - q1;
    });
    return {
      grid: {left: 8, right: 16, top: 30, bottom: 8, containLabel: true},
      tooltip: tooltip(data.decimals),
      legend: {top: 0, data: [data.labels.base, data.labels.median, data.labels.band]},
      xAxis: {type: "category", data: data.years.map(String), boundaryGap: false},
      yAxis: {type: "value", scale: true},
      series: [
        {type: "line", name: data.labels.q1, data: data.q1, stack: "band", symbol: "none",
         lineStyle: {opacity: 0}, areaStyle: {opacity: 0}},
        {type: "line", name: "_band", data: band, stack: "band", symbol: "none",
         lineStyle: {opacity: 0}, areaStyle: {color: "#9fbbe0", opacity: 0.5}},
        {type: "line", name: data.labels.band, data: [], itemStyle: {color: "#9fbbe0"}},
        {type: "line", name: data.labels.q3, data: data.q3, symbol: "none",
         lineStyle: {opacity: 0}},
        {type: "line", name: data.labels.median, data: data.median, itemStyle: {color: "#5d6d7e"},
         lineStyle: {type: "dashed"}, symbolSize: 5},
        {type: "line", name: data.labels.base, data: data.value, itemStyle: {color: "#b3261e"},
         lineStyle: {width: 3}, symbolSize: 8}
      ]
    };
  }

  /* Ranks with their Monte Carlo 5-95% interval: one row per base (rank 1 on top), the
     interval drawn by a custom series (a line with end caps), the median and nominal rank as
     points. */
  function optionRankIntervals(data) {
    var n = data.labels.length;
    var intervals = data.low.map(function (lo, i) { return [i, lo, data.high[i]]; });
    return {
      grid: {left: 8, right: 24, top: 30, bottom: 8, containLabel: true},
      legend: {top: 0, data: [data.text.interval, data.text.median, data.text.rank]},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: function (items) {
        if (!items.length) return "";
        var i = items[0].dataIndex;
        return "<strong>" + escapeHtml(data.labels[i] + " " + data.names[i]) + "</strong>" +
          '<div class="tip-row"><span>' + escapeHtml(data.text.rank) + "</span><b>" + fmt(data.rank[i]) + "</b></div>" +
          '<div class="tip-row"><span>' + escapeHtml(data.text.median) + "</span><b>" + fmt(data.median[i], 1) + "</b></div>" +
          '<div class="tip-row"><span>' + escapeHtml(data.text.interval) + "</span><b>" + fmt(data.low[i], 1) + "–" + fmt(data.high[i], 1) + "</b></div>";
      }},
      yAxis: {type: "category", data: data.labels, inverse: true},
      xAxis: {type: "value", name: data.text.axis, min: 1, max: Math.max(n, 1), minInterval: 1},
      series: [
        {type: "custom", name: data.text.interval, itemStyle: {color: "#1f5fa8"},
         encode: {x: [1, 2], y: 0}, data: intervals,
         renderItem: function (params, api) {
           var y = api.value(0), lo = api.coord([api.value(1), y]), hi = api.coord([api.value(2), y]);
           var h = api.size([0, 1])[1] * 0.3, style = {stroke: "#1f5fa8", lineWidth: 2};
           return {type: "group", children: [
             {type: "line", shape: {x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1]}, style: style},
             {type: "line", shape: {x1: lo[0], y1: lo[1] - h / 2, x2: lo[0], y2: lo[1] + h / 2}, style: style},
             {type: "line", shape: {x1: hi[0], y1: hi[1] - h / 2, x2: hi[0], y2: hi[1] + h / 2}, style: style}
           ]};
         }},
        {type: "scatter", name: data.text.median, symbolSize: 10, itemStyle: {color: "#1f5fa8"},
         data: data.median.map(function (m, i) { return [m, i]; })},
        {type: "scatter", name: data.text.rank, symbol: "diamond", symbolSize: 10, itemStyle: {color: "#b3261e"},
         data: data.rank.map(function (r, i) { return [r, i]; })}
      ]
    };
  }

  /* First-order and total sensitivity indices by uncertain input: grouped bars. */
  function optionSensitivity(data) {
    return {
      color: ["#1f5fa8", "#a15c00"],
      grid: {left: 8, right: 16, top: 30, bottom: 8, containLabel: true},
      legend: {top: 0},
      tooltip: tooltip(3),
      xAxis: {type: "category", data: data.labels},
      yAxis: {type: "value", min: 0},
      series: [
        {type: "bar", name: data.text.first, data: data.first, barMaxWidth: 32},
        {type: "bar", name: data.text.total, data: data.total, barMaxWidth: 32}
      ]
    };
  }

  /* The audit's correlations of an aggregate's children (and the aggregate, last): a heatmap
     from -1 (red) to 1 (blue), r written in each cell. */
  function optionAuditHeatmap(data) {
    return {
      grid: {left: 8, right: 16, top: 8, bottom: 56, containLabel: true},
      tooltip: {trigger: "item", formatter: function (p) {
        return "<strong>" + escapeHtml(data.labels[p.value[0]] + " · " + data.labels[p.value[1]]) +
          '</strong><div class="tip-row"><span>' + escapeHtml(data.text.value) + "</span><b>" +
          fmt(p.value[2], 2) + "</b></div>";
      }},
      xAxis: {type: "category", data: data.labels, axisLabel: {rotate: 30, interval: 0}},
      yAxis: {type: "category", data: data.labels, inverse: true, axisLabel: {interval: 0}},
      visualMap: {min: -1, max: 1, calculable: false, orient: "horizontal", left: "center",
                  bottom: 0, itemHeight: 120, inRange: {color: ["#b3261e", "#f7f7f7", "#1f5fa8"]}},
      series: [{type: "heatmap", name: data.text.value, data: data.cells,
                label: {show: data.labels.length <= 10, formatter: function (p) { return fmt(p.value[2], 2); }}}]
    };
  }

  /* Nominal weight against importance share of each child: grouped bars. */
  function optionAuditImportance(data) {
    return {
      color: ["#5d6d7e", "#1f5fa8"],
      grid: {left: 8, right: 16, top: 30, bottom: 8, containLabel: true},
      legend: {top: 0},
      tooltip: tooltip(3),
      xAxis: {type: "category", data: data.labels, axisLabel: {interval: 0, rotate: data.labels.length > 6 ? 30 : 0}},
      yAxis: {type: "value", min: 0},
      series: [
        {type: "bar", name: data.text.nominal, data: data.nominal, barMaxWidth: 32},
        {type: "bar", name: data.text.share, data: data.share, barMaxWidth: 32}
      ]
    };
  }

  /* Mean and largest absolute rank change when each node is removed: horizontal bars. */
  function optionAuditRemoval(data) {
    return {
      color: ["#1f5fa8", "#a15c00"],
      grid: {left: 8, right: 24, top: 30, bottom: 8, containLabel: true},
      legend: {top: 0},
      tooltip: tooltip(2),
      yAxis: {type: "category", data: data.labels, inverse: true, axisLabel: {interval: 0}},
      xAxis: {type: "value", min: 0},
      series: [
        {type: "bar", name: data.text.mean, data: data.mean, barMaxWidth: 14},
        {type: "bar", name: data.text.max, data: data.max, barMaxWidth: 14}
      ]
    };
  }

  /* A base against the median of its peer group, on each axis (0-100). */
  function optionRadar(data) {
    return {
      color: ["#b3261e", "#5d6d7e"],
      legend: {bottom: 0},
      tooltip: {trigger: "item"},
      radar: {radius: "62%", center: ["50%", "46%"],
              indicator: data.axes.map(function (a) { return {name: a, max: data.max}; })},
      series: [{type: "radar", data: data.series.map(function (s, i) {
        return {name: s.name, value: s.values.map(function (v) { return v === null ? 0 : v; }),
                areaStyle: i === 0 ? {opacity: 0.2} : undefined,
                lineStyle: i === 1 ? {type: "dashed"} : undefined};
      })}]
    };
  }

  function draw(el) {
    if (typeof echarts === "undefined") return;
    var data = readData(el.dataset.chart);
    if (!data) return;
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, {renderer: "canvas"});
    var option;
    if (data.kind === "trends") {
      var select = document.querySelector('[data-chart-select="' + el.id + '"]');
      option = optionTrends(data, select ? select.value : null);
      if (select && !select.dataset.bound) {
        select.dataset.bound = "1";
        select.addEventListener("change", function () {
          chart.setOption(optionTrends(data, select.value), true);
        });
      }
    } else if (data.kind === "decomposition") {
      var pickIndicator = document.querySelector('[data-chart-select="' + el.id + '"]');
      var pickGroup = document.querySelector('[data-chart-group="' + el.id + '"]');
      var chosen = function () {
        return optionDecomposition(data, pickIndicator ? pickIndicator.value : null,
                                   pickGroup ? pickGroup.value : null);
      };
      option = chosen();
      [pickIndicator, pickGroup].forEach(function (pick) {
        if (pick && !pick.dataset.bound) {
          pick.dataset.bound = "1";
          pick.addEventListener("change", function () { chart.setOption(chosen(), true); });
        }
      });
    } else if (data.kind === "peers") {
      option = optionPeers(data);
    } else if (data.kind === "rank_intervals") {
      option = optionRankIntervals(data);
    } else if (data.kind === "sensitivity") {
      option = optionSensitivity(data);
    } else if (data.kind === "audit_heatmap") {
      option = optionAuditHeatmap(data);
    } else if (data.kind === "audit_importance") {
      option = optionAuditImportance(data);
    } else if (data.kind === "audit_removal") {
      option = optionAuditRemoval(data);
    } else if (data.kind === "radar") {
      option = optionRadar(data);
    } else if (data.kind === "completeness") {
      option = optionCompleteness(data);
    } else {
      option = optionCounts(data, data.kind);
    }
    chart.setOption(option, true);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function () { drawAll(document); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = typeof echarts !== "undefined" && echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
})();
