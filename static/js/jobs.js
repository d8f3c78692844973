/* A long job's page (templates/jobs/detail.html): while the job runs, ask its status URL
 * every second and move the <progress> bar; once it is over, load the job's page again, which
 * then shows the result (the preview, the download, or the page the job worked on).
 */
(function () {
  "use strict";

  var POLL_MS = 1000;

  function start(box) {
    var bar = document.getElementById("job-progress");
    var state = document.getElementById("job-state");
    var count = document.getElementById("job-count");

    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (status) {
          if (status.over) {
            window.location.replace(box.dataset.pageUrl);
            return;
          }
          if (bar) { bar.value = status.percent; bar.textContent = status.percent + "%"; }
          if (state) { state.textContent = status.status_label; }
          if (count && status.total) { count.textContent = "· " + status.done + " / " + status.total; }
          window.setTimeout(poll, POLL_MS);
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 5); });
    }

    window.setTimeout(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("job");
    if (box && box.dataset.over === "0") { start(box); }
  });
})();
