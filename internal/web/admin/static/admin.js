// Herald admin: behaviour shared by every page. Page scripts use
// Herald.post to send JSON or forms with the session's CSRF token.
"use strict";
window.Herald = (function () {
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.content : "";
  }
  // post sends body (a FormData, URLSearchParams or a plain object sent
  // as JSON) and resolves with the parsed JSON answer; errors reject with
  // the server's message.
  function post(url, body) {
    var headers = { "X-CSRF-Token": csrf(), "Accept": "application/json" };
    if (body && !(body instanceof FormData) && !(body instanceof URLSearchParams)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) {
            throw new Error((data.error && data.error.message) || ("The server answered " + res.status + "."));
          }
          return data;
        });
      });
  }
  // debounce calls fn once typing pauses for ms.
  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments, self = this;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }
  // Forms with data-confirm ask first ("Send to 12,000 readers?").
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });
  return { csrf: csrf, post: post, debounce: debounce };
})();
