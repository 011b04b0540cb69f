// Subscriber import: follows the import's progress, asking the server
// for it as JSON, and shows the final report when it ends.
"use strict";
(function () {
  var box = document.getElementById("import");
  if (!box || box.getAttribute("data-done") === "true") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("import-progress");
  function set(id, v) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(v); }
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (res) { return res.json(); })
      .then(function (p) {
        bar.value = p.percent;
        bar.textContent = p.percent + "%";
        set("import-percent", p.percent);
        set("import-rows", p.rows);
        set("import-added", p.added);
        set("import-bad", p.bad);
        if (p.done) {
          window.location.reload(); // the page renders the report
          return;
        }
        setTimeout(poll, 700);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 300);
})();
