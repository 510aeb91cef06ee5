/* The "protect my image" page: hash the chosen picture on this device with AmanPdq and put only
 * the hash (and its quality) in the form. The file input has no name, so the picture is never sent. */
(function () {
  "use strict";
  var input = document.getElementById("protect-file");
  if (!input || !window.AmanPdq) return;
  var status = document.querySelector("[data-testid=protect-status]");
  var out = document.getElementById("protect-hash");
  var pdq = document.getElementById("protect-pdq");
  var quality = document.getElementById("protect-quality");
  var submit = document.getElementById("protect-submit");

  function reset() {
    out.textContent = "";
    pdq.value = "";
    quality.value = "";
    submit.disabled = true;
    out.removeAttribute("data-quality");
  }

  input.addEventListener("change", function () {
    reset();
    var file = input.files && input.files[0];
    if (!file) return;
    status.textContent = status.getAttribute("data-working");
    input.setAttribute("aria-busy", "true");
    window.AmanPdq.hashBlob(file).then(
      function (result) {
        out.textContent = result.hash;
        out.setAttribute("data-quality", String(result.quality));
        pdq.value = result.hash;
        quality.value = String(result.quality);
        status.textContent = status.getAttribute(result.quality < 50 ? "data-low" : "data-done");
        submit.disabled = false;
        input.removeAttribute("aria-busy");
      },
      function () {
        status.textContent = status.getAttribute("data-failed");
        input.removeAttribute("aria-busy");
      }
    );
  });
})();
