/* Reload a job's progress page every two seconds while the job runs (no inline script: CSP). */
(function () {
  "use strict";
  if (document.getElementById("batch-running")) {
    window.setTimeout(function () { window.location.reload(); }, 2000);
  }
}());
