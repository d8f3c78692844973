// The public ballot's two helpers (a static file: the Content-Security-Policy forbids inline
// scripts).
(function () {
  "use strict";
  // A slip's QR code carries the code in the URL fragment (never sent to the server): put it
  // in the field, then drop it from the address bar and the history.
  var field = document.querySelector("input[name=code]:not([type=hidden])");
  var code = location.hash.slice(1).replace(/[^0-9A-Za-z]/g, "").slice(0, 32);
  if (field && code && !field.value) {
    field.value = code.toUpperCase();
  }
  if (location.hash && window.history.replaceState) {
    window.history.replaceState(null, "", location.pathname);
  }

  // Count the answered questions as the rater goes, and mark in red what the browser finds
  // unanswered on submitting (the server checks everything again).
  var form = document.getElementById("ballot");
  if (!form) {
    return;
  }
  var total = Number(form.dataset.total) || 1;
  function update(event) {
    var n = form.querySelectorAll("input[type=radio]:checked").length;
    document.getElementById("answered").textContent = n;
    document.getElementById("answered-bar").style.width = (100 * n / total) + "%";
    var item = event && event.target.closest(".item");
    if (item) {
      item.classList.remove("missing");
    }
  }
  form.addEventListener("change", update);
  form.addEventListener("invalid", function (event) {
    event.target.closest(".item").classList.add("missing");
  }, true);
  update();
})();
