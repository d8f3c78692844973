// Behaviour shared by every page, kept out of the HTML so the Content-Security-Policy can
// forbid inline scripts: print buttons, confirmations, and the first refused field in view.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
  // A form with data-confirm asks first; "Cancel" submits nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
  // A create form (it carries a one-time token) is sent once: a second click does nothing, and
  // its buttons are disabled after the browser has read the clicked one's name and value. The
  // server refuses a resent token anyway (kaohe/lib/once.py).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.querySelector || !form.querySelector("input[name=_once]")) {
      return;
    }
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
  // Coming back to the page (the back button's cache) offers the form again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    // A refused form deep in a long table: bring its first faulty field into view.
    var invalid = document.querySelector(".tpl-edit .is-invalid");
    if (invalid) {
      invalid.scrollIntoView({block: "center"});
    }
  });
})();
