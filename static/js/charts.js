/* Charts drawn from data the page embeds with json_script (no inline scripts: see the Content-Security-Policy):
   #years-data → #years-chart (public city statistics), #progress-data → #progress-chart (package progress). */
(function () {
  "use strict";
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Chart === "undefined") { return; }
    var years = read("years-data");
    if (years && document.getElementById("years-chart")) {
      new Chart(document.getElementById("years-chart"), {
        type: "line",
        data: { labels: years.labels, datasets: years.datasets },
        options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
      });
    }
    var progress = read("progress-data");
    if (progress && document.getElementById("progress-chart")) {
      new Chart(document.getElementById("progress-chart"), {
        type: "bar",
        data: {
          labels: progress.labels,
          datasets: [
            { label: progress.legend.progress, data: progress.progress,
              backgroundColor: progress.lagging.map(function (l) { return l ? "#c62828" : "#2e7d32"; }) },
            { label: progress.legend.expected, data: progress.labels.map(function () { return progress.expected; }),
              backgroundColor: "rgba(120,144,156,0.45)" }
          ]
        },
        options: { indexAxis: "y", responsive: true, maintainAspectRatio: false,
                   scales: { x: { beginAtZero: true, suggestedMax: 100,
                                  ticks: { callback: function (v) { return v + "%"; } } } } }
      });
    }
  });
})();
