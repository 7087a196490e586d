// Draws the dashboard's charts from the figures the server embedded in the page.
"use strict";
(function () {
  const figures = JSON.parse(document.getElementById("figures").textContent);
  const charts = [];
  function draw(id, option) {
    const element = document.getElementById(id);
    if (!element || typeof echarts === "undefined") return;
    const chart = echarts.init(element);
    chart.setOption(Object.assign({
      title: { text: element.dataset.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, top: 48, bottom: 56, containLabel: true },
      animation: false,
    }, option));
    charts.push(chart);
  }
  function bars(items, color) {
    const top = items.slice(0, 16);
    return {
      xAxis: { type: "category", data: top.map((i) => i.name), axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: top.map((i) => i.value), itemStyle: { color: color } }],
    };
  }
  draw("chart-daily", {
    xAxis: { type: "category", data: figures.daily.map((d) => d.date.slice(5)) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", data: figures.daily.map((d) => d.count), areaStyle: {}, itemStyle: { color: "#b71c1c" } }],
  });
  draw("chart-category", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["30%", "62%"], top: 30, data: figures.by_category,
               label: { formatter: "{b} {c}" } }],
  });
  draw("chart-department", bars(figures.by_department, "#1565c0"));
  draw("chart-district", bars(figures.by_district, "#2e7d32"));
  const hours = [figures.response_hours, figures.resolution_hours];
  draw("chart-hours", {
    legend: { bottom: 0 },
    xAxis: { type: "category", data: ["响应用时", "答复用时"] },
    yAxis: { type: "value", name: "小时" },
    series: [
      { name: "平均", type: "bar", data: hours.map((h) => h.mean) },
      { name: "P90", type: "bar", data: hours.map((h) => h.p90) },
    ],
  });
  const words = figures.hot_topics.keywords.slice(0, 12).reverse();
  draw("chart-topics", {
    legend: { bottom: 0 },
    grid: { left: 16, right: 16, top: 48, bottom: 40, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: words.map((k) => k.word) },
    series: [
      { name: "本期", type: "bar", data: words.map((k) => k.count), itemStyle: { color: "#b71c1c" } },
      { name: "上期", type: "bar", data: words.map((k) => k.previous), itemStyle: { color: "#9aa5b1" } },
    ],
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
