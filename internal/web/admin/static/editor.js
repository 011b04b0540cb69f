// Herald admin: the story editor. As the editor types, the Smart Brevity
// panel and the preview are refreshed from the server (one check, one
// renderer: the site's); the related-story picker searches live stories;
// a chosen photo shows at once. Without this script the form still saves,
// and the page after saving shows the check computed on the server.
"use strict";
(function () {
  var form = document.getElementById("story-form");
  if (!form) {
    return;
  }
  var $ = function (id) { return document.getElementById(id); };
  var headline = $("headline"), body = $("body");

  // Live check and preview. Answers that arrive after a newer request are
  // dropped, so a slow answer never overwrites a fresher one.
  var seq = 0;
  function refresh() {
    var mine = ++seq;
    var draft = { headline: headline.value, body: body.value };
    Herald.post("/admin/stories/check", draft).then(function (check) {
      if (mine === seq) { showCheck(check); }
    }).catch(report);
    Herald.post("/admin/stories/preview", draft).then(function (res) {
      if (mine === seq) {
        $("preview-headline").textContent = headline.value;
        $("preview-body").innerHTML = res.html; // sanitised by the site's renderer
      }
    }).catch(report);
  }
  function showCheck(c) {
    $("brevity-words").textContent = c.words;
    $("brevity-reading").textContent = c.reading_time;
    $("brevity-headline").textContent = c.headline_strong_words;
    $("brevity-lede").textContent = c.lede_words;
    $("brevity-axioms").textContent = c.axioms && c.axioms.length ? c.axioms.join(", ") : "none yet";
    $("brevity-mini-words").textContent = c.words;
    $("brevity-mini-warnings").textContent = (c.findings || []).filter(function (f) { return f.level === "warning"; }).length;
    var list = $("brevity-findings");
    list.textContent = "";
    (c.findings || []).forEach(function (f) {
      var li = document.createElement("li");
      li.className = "finding " + f.level;
      li.setAttribute("data-rule", f.rule);
      li.setAttribute("data-level", f.level);
      var level = document.createElement("span");
      level.className = "level";
      level.textContent = f.level;
      var msg = document.createElement("span");
      msg.className = "msg";
      msg.textContent = f.message;
      li.append(level, " ", msg);
      list.appendChild(li);
    });
  }
  function report(err) {
    var list = $("brevity-findings");
    if (list) {
      list.setAttribute("title", "Could not refresh: " + err.message);
    }
  }
  var later = Herald.debounce(refresh, 300);
  headline.addEventListener("input", later);
  body.addEventListener("input", later);

  // The slug field shows the slug the headline would get.
  var slug = $("slug");
  function slugify(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/['’]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80);
  }
  headline.addEventListener("input", function () {
    slug.placeholder = slugify(headline.value) || "made-from-the-headline";
  });

  // Related stories: search, pick, remove; the hidden inputs keep the order.
  var search = $("related-search"), results = $("related-results"), chips = $("related-chips");
  var self = form.getAttribute("data-story");
  var active = -1;
  function chosen() {
    return Array.prototype.map.call(chips.querySelectorAll("input[name=related]"), function (i) { return i.value; });
  }
  function close() {
    results.hidden = true;
    results.textContent = "";
    search.setAttribute("aria-expanded", "false");
    active = -1;
  }
  function addChip(story) {
    var li = document.createElement("li");
    li.className = "chip";
    li.setAttribute("data-id", story.id);
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "related";
    input.value = story.id;
    var label = document.createElement("span");
    label.textContent = story.headline;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("aria-label", "Remove “" + story.headline + "”");
    remove.textContent = "×";
    li.append(input, label, remove);
    chips.appendChild(li);
  }
  var lookUp = Herald.debounce(function () {
    var q = search.value.trim();
    if (!q) {
      close();
      return;
    }
    fetch("/admin/stories/search?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (res) { return res.json(); })
      .then(function (data) {
        if (search.value.trim() !== q) {
          return;
        }
        var have = chosen();
        var found = (data.stories || []).filter(function (s) {
          return String(s.id) !== self && have.indexOf(String(s.id)) < 0;
        });
        results.textContent = "";
        active = -1;
        found.forEach(function (s, i) {
          var li = document.createElement("li");
          li.id = "related-option-" + i;
          li.setAttribute("role", "option");
          li.textContent = s.headline;
          li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(s); });
          li.story = s;
          results.appendChild(li);
        });
        if (!found.length) {
          var none = document.createElement("li");
          none.className = "empty";
          none.textContent = "No published stories match.";
          results.appendChild(none);
        }
        results.hidden = false;
        search.setAttribute("aria-expanded", "true");
      })
      .catch(close);
  }, 250);
  function pick(story) {
    addChip(story);
    search.value = "";
    close();
    search.focus();
  }
  function highlight(i) {
    var options = results.querySelectorAll("[role=option]");
    if (!options.length) {
      return;
    }
    active = (i + options.length) % options.length;
    options.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
    search.setAttribute("aria-activedescendant", options[active].id);
  }
  search.addEventListener("input", lookUp);
  search.addEventListener("blur", close);
  search.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      highlight(active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      e.preventDefault(); // Enter picks; it never submits the story
      var options = results.querySelectorAll("[role=option]");
      if (active >= 0 && options[active]) {
        pick(options[active].story);
      }
    } else if (e.key === "Escape") {
      close();
    }
  });
  chips.addEventListener("click", function (e) {
    var button = e.target.closest(".chip-remove");
    if (button) {
      button.closest(".chip").remove();
      search.focus();
    }
  });

  // The chosen photo shows at once (as a data: URL, which the page's
  // content policy allows); the size limit is checked before uploading.
  var photo = $("photo"), thumb = $("photo-thumb");
  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    photo.setCustomValidity("");
    if (!file) {
      return;
    }
    if (file.size > 20 * 1024 * 1024) {
      photo.setCustomValidity("The photo is larger than 20 MB.");
      photo.reportValidity();
      photo.value = "";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      thumb.src = reader.result;
      thumb.classList.remove("hidden");
    };
    reader.readAsDataURL(file);
    ["photo_alt", "photo_caption", "photo_credit"].forEach(function (id) { $(id).required = true; });
  });

  // Unsaved changes. Publishing, scheduling and unpublishing act on what
  // was last saved, so while the form has changes they ask to save first,
  // and leaving the page asks before the changes are lost.
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  ["publish-form", "schedule-form", "unpublish-form"].forEach(function (id) {
    var f = $(id);
    if (!f) {
      return;
    }
    f.addEventListener("submit", function (e) {
      if (dirty) {
        e.preventDefault();
        e.stopImmediatePropagation();
        window.alert("This story has changes that are not saved yet. Save them first: publishing uses the saved version.");
        return;
      }
      dirty = false;
    }, true);
  });
})();
