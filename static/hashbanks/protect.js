/* The "protect my image" page: hash the chosen picture on this device with AmanPdq (PDQ and its 8
 * rotations and flips) or, for a video, its MD5, and put only these codes in the form. The file
 * input has no name, so the picture or video is never sent. */
(function () {
  "use strict";
  var input = document.getElementById("protect-file");
  if (!input || !window.AmanPdq) return;
  var status = document.querySelector("[data-testid=protect-status]");
  var out = document.getElementById("protect-hash");
  var field = function (id) { return document.getElementById(id); };
  var kind = field("protect-kind");
  var pdq = field("protect-pdq");
  var dihedral = field("protect-dihedral");
  var quality = field("protect-quality");
  var md5 = field("protect-md5");
  var submit = field("protect-submit");

  function reset() {
    out.textContent = "";
    pdq.value = "";
    dihedral.value = "";
    quality.value = "";
    md5.value = "";
    kind.value = "image";
    submit.disabled = true;
    out.removeAttribute("data-quality");
  }

  function failed() {
    status.textContent = status.getAttribute("data-failed");
    input.removeAttribute("aria-busy");
  }

  function isVideo(file) {
    return /^video\//.test(file.type || "") || /\.(mp4|m4v|mov|webm|mkv|avi|3gp)$/i.test(file.name || "");
  }

  input.addEventListener("change", function () {
    reset();
    var file = input.files && input.files[0];
    if (!file) return;
    status.textContent = status.getAttribute("data-working");
    input.setAttribute("aria-busy", "true");
    if (isVideo(file)) {
      kind.value = "video";
      window.AmanPdq.md5Blob(file).then(function (hex) {
        out.textContent = hex;
        md5.value = hex;
        status.textContent = status.getAttribute("data-video");
        submit.disabled = false;
        input.removeAttribute("aria-busy");
      }, failed);
      return;
    }
    window.AmanPdq.hashBlob(file).then(function (result) {
      out.textContent = result.hash;
      out.setAttribute("data-quality", String(result.quality));
      pdq.value = result.hash;
      dihedral.value = result.dihedral.join(",");
      quality.value = String(result.quality);
      status.textContent = status.getAttribute(result.quality < 50 ? "data-low" : "data-done");
      submit.disabled = false;
      input.removeAttribute("aria-busy");
    }, failed);
  });

  // "Start a new report" shows its questions; "Add it to my report" shows the reference and code.
  var radios = document.querySelectorAll("input[name=attach]");
  function toggle() {
    var chosen = document.querySelector("input[name=attach]:checked");
    var value = chosen ? chosen.value : "new";
    var blocks = document.querySelectorAll("[data-attach]");
    for (var i = 0; i < blocks.length; i++) blocks[i].hidden = blocks[i].getAttribute("data-attach") !== value;
  }
  for (var r = 0; r < radios.length; r++) radios[r].addEventListener("change", toggle);
  toggle();
})();
