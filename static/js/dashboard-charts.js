// The dashboard's charts (Chart.js, vendored). The figures come from the page's
// <script type="application/json" id="chart-data"> block, written by the server
// from the records; nothing here computes a figure.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var palette = ["#c8161d", "#e6783c", "#f2b632", "#5b8c5a", "#3b7ea1", "#6c5b7b", "#a05a2c", "#2f4858", "#d17a9c", "#7a9e9f", "#8c8c8c", "#b5651d"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;

  function draw(name, config) {
    var canvas = document.getElementById("chart-" + name);
    if (!canvas) {
      return;
    }
    if (config.options.indexAxis === "y" && config.data.labels.length > 8) {
      // one bar a line: a long list of units or teams gets the height it needs
      canvas.parentNode.style.height = 60 + 24 * config.data.labels.length + "px";
    }
    new Chart(canvas, config);
  }

  draw("events", {
    type: "bar",
    data: {
      labels: data.months,
      datasets: data.events_by_kind.map(function (row, i) {
        return { label: row.kind, data: row.counts, backgroundColor: palette[i % palette.length] };
      })
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
    }
  });

  draw("funnel", {
    type: "bar",
    data: {
      labels: labels.funnel_steps,
      datasets: [{ label: labels.funnel, data: data.funnel, backgroundColor: ["#f2b632", "#e6783c", "#3b7ea1", "#c8161d"], maxBarThickness: 40 }]
    },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } }
  });

  draw("reporting", {
    type: "bar",
    data: {
      labels: data.reporting.map(function (row) { return row.name; }),
      datasets: [
        { label: labels.reported, data: data.reporting.map(function (row) { return row.reported; }), backgroundColor: "#c8161d" },
        { label: labels.not_reported, data: data.reporting.map(function (row) { return row.registered - row.reported; }), backgroundColor: "#f2c4c6" }
      ]
    },
    options: {
      indexAxis: "y",
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: true, ticks: { autoSkip: false, font: { size: 11 } } }
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
    }
  });

  draw("teams", {
    type: "bar",
    data: {
      labels: data.teams.map(function (row) { return row.name; }),
      datasets: [{ label: labels.hours, data: data.teams.map(function (row) { return row.hours; }), backgroundColor: "#3b7ea1", maxBarThickness: 28 }]
    },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true } }, plugins: { legend: { display: false } } }
  });
})();
