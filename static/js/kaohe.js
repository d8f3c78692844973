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
  document.addEventListener("DOMContentLoaded", function () {
    // A refused form deep in a long table: bring its first faulty field into view.
    var invalid = document.querySelector(".tpl-edit .is-invalid");
    if (invalid) {
      invalid.scrollIntoView({block: "center"});
    }
  });
})();
