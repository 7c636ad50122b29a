// The authority dashboard's charts (hub/web/authority). Served as a file: the CSP allows no inline
// script. Reads the same figures as the tables from /authority/figures.json (the URL is in the
// page's data-chart-source) and draws one chart per table marked with a canvas; the tables stay
// the accessible form of the data, the charts are an extra.
(function () {
  'use strict';
  function draw(figures) {
    // ids, choices and ISO days by the words the page uses (the server words them in its language)
    var names = figures.names || {};
    var name = function (id) { return names[id] || id; };
    var colours = ['#1f5f8b', '#c8553d', '#588b8b', '#f2a541', '#6c4f77', '#93a8ac'];
    figures.tables.forEach(function (table) {
      var canvas = document.querySelector('canvas[data-table="' + table.id + '"]');
      if (!canvas || !table.chart || table.rows.length === 0) {
        return;
      }
      var last = table.columns.length - 1;
      var labels;
      var datasets;
      if (table.columns.length === 3) {
        // site × choice: one dataset per choice, stacked per site
        var sites = [];
        var series = {};
        table.rows.forEach(function (row) {
          if (sites.indexOf(row[0]) < 0) { sites.push(row[0]); }
          series[row[1]] = series[row[1]] || {};
          series[row[1]][row[0]] = Number(row[last]);
        });
        labels = sites.map(name);
        datasets = Object.keys(series).map(function (key, i) {
          return {
            label: name(key),
            data: sites.map(function (s) { return series[key][s] || 0; }),
            backgroundColor: colours[i % colours.length]
          };
        });
      } else {
        labels = table.rows.map(function (row) { return name(row[0]); });
        datasets = [{
          label: table.caption,
          data: table.rows.map(function (row) { return Number(row[last]); }),
          backgroundColor: colours[0],
          borderColor: colours[0]
        }];
      }
      // eslint-disable-next-line no-undef
      new Chart(canvas, {
        type: table.id === 'cross-site-retrievals' ? 'line' : 'bar',
        data: { labels: labels, datasets: datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: datasets.length > 1 } },
          scales: {
            x: { stacked: datasets.length > 1 },
            y: { beginAtZero: true, stacked: datasets.length > 1, ticks: { precision: 0 } }
          }
        }
      });
    });
    document.documentElement.setAttribute('data-charts', 'drawn');
  }
  function start() {
    var holder = document.getElementById('figures');
    if (!holder || typeof Chart === 'undefined') {
      return;
    }
    fetch(holder.getAttribute('data-chart-source'), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(draw)
      .catch(function () { document.documentElement.setAttribute('data-charts', 'failed'); });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
