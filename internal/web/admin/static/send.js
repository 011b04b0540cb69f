// Herald admin: the live send view. The page shows the numbers as they
// were when it loaded; this keeps them live from the progress stream
// (Server-Sent Events) and draws the messages-per-minute chart.
"use strict";
(function () {
  var root = document.getElementById("live-send");
  if (!root) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var fmt = new Intl.NumberFormat();
  var pace = JSON.parse(root.getAttribute("data-pace") || "null") || [];
  // Accepted when the page was made; each event adds what came since to
  // the current minute.
  var lastAccepted = Number(root.getAttribute("data-accepted")) || 0;
  var SVG = "http://www.w3.org/2000/svg";

  function el(name, attrs, text) {
    var n = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) { n.textContent = text; }
    return n;
  }
  // Times show in the site's zone, as the server writes them.
  var zone = root.getAttribute("data-zone") || undefined;
  function hhmm(iso) {
    return new Date(iso).toLocaleTimeString("en-US", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone });
  }

  // drawChart draws one bar per minute, the peak on the scale.
  function drawChart() {
    var fig = $("send-chart");
    if (!pace.length) { return; }
    var W = Math.max(280, fig.clientWidth || 600), H = 180, left = 44, bottom = 22, top = 10;
    var shown = pace.slice(-60), peak = 1;
    shown.forEach(function (m) { peak = Math.max(peak, m.count); });
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Messages per minute: peak " + fmt.format(peak) + ", latest " + fmt.format(shown[shown.length - 1].count) });
    var plotW = W - left - 6, plotH = H - top - bottom, bw = plotW / Math.max(shown.length, 10);
    svg.appendChild(el("line", { "class": "axis", x1: left, y1: top + plotH, x2: W, y2: top + plotH }));
    svg.appendChild(el("line", { "class": "axis", x1: left, y1: top, x2: W, y2: top }));
    svg.appendChild(el("text", { x: left - 6, y: top + 4, "text-anchor": "end" }, fmt.format(peak)));
    svg.appendChild(el("text", { x: left - 6, y: top + plotH, "text-anchor": "end" }, "0"));
    shown.forEach(function (m, i) {
      var h = plotH * m.count / peak;
      var bar = el("rect", { "class": "bar", x: left + i * bw + 1, y: top + plotH - h, width: Math.max(bw - 2, 1), height: h });
      bar.appendChild(el("title", {}, hhmm(m.minute) + ": " + fmt.format(m.count) + " messages"));
      svg.appendChild(bar);
    });
    svg.appendChild(el("text", { x: left, y: H - 6 }, hhmm(shown[0].minute)));
    if (shown.length > 1) {
      svg.appendChild(el("text", { x: left + (shown.length - 1) * bw + bw, y: H - 6, "text-anchor": "end" }, hhmm(shown[shown.length - 1].minute)));
    }
    fig.textContent = "";
    fig.appendChild(svg);
  }

  // count adds the messages accepted since the last event to this minute.
  function count(accepted) {
    if (accepted > lastAccepted) {
      var minute = new Date(Math.floor(Date.now() / 60000) * 60000).toISOString();
      var last = pace[pace.length - 1];
      if (last && new Date(last.minute).getTime() === new Date(minute).getTime()) {
        last.count += accepted - lastAccepted;
      } else {
        pace.push({ minute: minute, count: accepted - lastAccepted });
      }
      drawChart();
    }
    lastAccepted = accepted;
  }

  function percent(p) {
    if (!p.total) { return p.status === "sent" ? 100 : 0; }
    return Math.floor(p.done * 100 / p.total);
  }

  function show(p) {
    var pct = percent(p), bar = $("send-progress");
    bar.value = pct;
    bar.setAttribute("data-percent", String(pct));
    bar.textContent = pct + "%";
    $("send-percent").textContent = pct + "%";
    $("send-done").textContent = fmt.format(p.done) + " of " + fmt.format(p.total) + " readers done";
    $("send-rate").textContent = p.measuring ? "measuring…" : fmt.format(p.per_minute) + " msgs/min";
    $("send-eta").textContent = p.measuring ? "measuring…" : (p.eta || "—");
    [["send-retry", p.retry_note], ["send-paused", p.pause_note]].forEach(function (pair) {
      $(pair[0]).textContent = pair[1] || "";
      $(pair[0]).hidden = !pair[1];
    });
    if (p.finished_at) {
      $("send-finished").textContent = new Date(p.finished_at).toLocaleString("en-US", { month: "short", day: "numeric",
        year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone, timeZoneName: "short" });
    }
    var badge = $("send-status");
    badge.textContent = p.status;
    badge.className = "badge " + p.status;
    document.querySelectorAll("#send-counts td[data-status]").forEach(function (td) {
      td.textContent = fmt.format((p.counts || {})[td.getAttribute("data-status")] || 0);
    });
    var warn = $("send-warning");
    warn.textContent = p.warning || "";
    warn.hidden = !p.warning;
    var body = document.querySelector("#send-failures tbody");
    body.textContent = "";
    (p.recent_problems || []).forEach(function (r) {
      var tr = document.createElement("tr");
      [r.Email, null, String(r.Attempts), r.Reply].forEach(function (v, i) {
        var td = document.createElement("td");
        if (i === 1) {
          var b = document.createElement("span");
          b.className = "badge " + r.Status;
          b.textContent = r.Status;
          td.appendChild(b);
        } else {
          td.textContent = v;
        }
        if (i === 3) { td.className = "reply"; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!body.children.length) {
      body.innerHTML = '<tr class="none"><td colspan="4" class="muted">Every reader so far was accepted.</td></tr>';
    }
    count((p.counts || {}).accepted || 0);
  }

  drawChart();
  window.addEventListener("resize", Herald.debounce(drawChart, 150));
  if (root.getAttribute("data-active") !== "true" || !window.EventSource) { return; }
  var es = new EventSource(root.getAttribute("data-progress"));
  es.addEventListener("progress", function (e) {
    var p = JSON.parse(e.data);
    show(p);
    if (p.status !== "sending" && p.status !== "paused") {
      es.close(); // sent or cancelled: nothing more will change
      var controls = document.querySelector(".send-controls");
      if (controls) { controls.remove(); }
    }
  });
})();
