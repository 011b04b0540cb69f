// Herald admin: the edition composer. Without it the page works with plain
// form posts; with it, edits save as the editor types, items move without
// a reload, the story picker searches as you type, and the previews are
// scaled to fit and refreshed after each save.
"use strict";
(function () {
  var form = document.getElementById("composer-form");
  if (!form) { return; }
  var list = document.getElementById("edition-items");
  var status = document.getElementById("save-status");
  var brevity = document.getElementById("brevity-count");
  var dirty = false, saving = null;

  function say(msg, isError) {
    status.textContent = msg;
    status.className = isError ? "error" : "muted";
  }

  // save posts the whole form; it resolves once stored.
  function save() {
    var body = new URLSearchParams(new FormData(form));
    body.set("op", "save");
    dirty = false;
    say("Saving…");
    saving = Herald.post(form.action, body).then(function (data) {
      if (brevity && data.brevity) { brevity.textContent = data.brevity; }
      if (data.version && form.elements.version) { form.elements.version.value = String(data.version); }
      say("Saved at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
      refreshPreviews();
    }, function (err) {
      dirty = true;
      say(err.message, true);
      throw err;
    });
    return saving;
  }
  var saveSoon = Herald.debounce(function () { save().catch(function () {}); }, 1200);
  form.addEventListener("input", function () { dirty = true; say("Unsaved changes"); saveSoon(); });
  form.addEventListener("submit", function () { dirty = false; });

  // renumber puts each item's number, id and button values back in order.
  function renumber() {
    var items = list.querySelectorAll(".edition-item");
    items.forEach(function (li, i) {
      li.id = "item-" + (i + 1);
      li.querySelector(".item-number").textContent = String(i + 1);
      [["move-up", "up", "up"], ["move-down", "down", "down"], ["remove", "remove", ""]].forEach(function (b) {
        var btn = li.querySelector("." + b[0]);
        btn.value = b[1] + ":" + i;
        btn.setAttribute("aria-label", (b[1] === "remove" ? "Remove item " : "Move item ") + (i + 1) + (b[2] ? " " + b[2] : ""));
      });
      li.querySelector(".move-up").disabled = i === 0;
      li.querySelector(".move-down").disabled = i === items.length - 1;
    });
  }

  form.addEventListener("click", function (e) {
    var btn = e.target.closest("button[name=op]");
    if (!btn) { return; }
    var op = btn.value.split(":"), li = btn.closest(".edition-item");
    if (op[0] === "save") {
      e.preventDefault();
      save().catch(function () {});
      return;
    }
    if (!li) { return; } // "blank" posts the form and reloads
    e.preventDefault();
    if (op[0] === "up" && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (op[0] === "down" && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    } else if (op[0] === "remove") {
      var head = li.querySelector("input[name=item_headline]").value;
      if (!window.confirm("Remove “" + head + "” from the edition?")) { return; }
      li.remove();
    }
    renumber();
    var moved = list.querySelector("#" + li.id + " ." + (op[0] === "up" ? "move-up" : "move-down"));
    if (moved && !moved.disabled) { moved.focus(); }
    save().catch(function () {});
  });

  // Adding a story saves what was typed first, then posts the add form.
  document.addEventListener("submit", function (e) {
    var add = e.target.closest("form.add-story");
    if (!add || !dirty) { return; }
    e.preventDefault();
    save().then(function () { add.submit(); }, function () {});
  });

  // The story picker searches as the editor types.
  var q = document.getElementById("story-q"), results = document.getElementById("story-results"),
    tpl = document.getElementById("story-result"), search = document.getElementById("story-search");
  function pick() {
    fetch("/admin/editions/stories?q=" + encodeURIComponent(q.value), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) { return res.json(); })
      .then(function (data) {
        results.textContent = "";
        (data.stories || []).forEach(function (s) {
          var li = tpl.content.firstElementChild.cloneNode(true);
          li.querySelector("input[name=story]").value = s.id;
          li.querySelector(".headline").textContent = s.headline;
          li.querySelector(".meta").textContent = [s.section, s.published].filter(Boolean).join(" · ");
          li.querySelector("button").setAttribute("aria-label", "Add “" + s.headline + "”");
          results.appendChild(li);
        });
        if (!results.children.length) {
          var none = document.createElement("li");
          none.className = "muted";
          none.textContent = "No published story matches “" + q.value + "”.";
          results.appendChild(none);
        }
      });
  }
  if (q && results && tpl) {
    q.addEventListener("input", Herald.debounce(pick, 250));
    q.addEventListener("focus", function () { if (!results.children.length) { pick(); } }, { once: true });
    search.addEventListener("submit", function (e) { e.preventDefault(); pick(); });
  }

  // Previews: each iframe is drawn at its real width and scaled to fit.
  var frames = document.querySelectorAll(".frame-box iframe");
  function fit() {
    frames.forEach(function (f) {
      var box = f.parentElement, s = Math.min(1, box.clientWidth / Number(f.width));
      f.style.transform = "scale(" + s + ")";
      box.style.height = Math.round(Math.min(Number(f.height) * s, 720)) + "px";
    });
  }
  function refreshPreviews() {
    frames.forEach(function (f) {
      f.src = f.src.split("?")[0] + "?t=" + Date.now();
    });
    var text = document.getElementById("plain-text");
    if (text) {
      fetch(form.action.replace(/\/?$/, "") + "/preview.txt", { credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.text() : null; })
        .then(function (t) { if (t !== null) { text.textContent = t; } });
    }
  }
  fit();
  window.addEventListener("resize", Herald.debounce(fit, 100));
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); }
  });
})();
