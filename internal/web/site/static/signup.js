// Inline signup: posts the signup box with fetch and shows the answer in
// the form's live regions (role=status for success, role=alert for
// errors). Without JavaScript the form posts normally and gets a page.
(function () {
  "use strict";
  function answer(form, ok, message, detail) {
    var status = form.querySelector(".signup-status");
    var error = form.querySelector(".signup-error");
    var email = form.querySelector(".signup-email");
    status.textContent = ok ? message + (detail ? " " + detail : "") : "";
    error.textContent = ok ? "" : message;
    email.setAttribute("aria-invalid", ok ? "false" : "true");
    if (ok) { email.value = ""; }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-signup]") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      answer(form, data.ok, data.message, data.detail);
    }).catch(function () {
      answer(form, false, "Subscription failed");
    }).then(function () {
      button.disabled = false;
    });
  });
})();
