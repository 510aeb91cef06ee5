/* Offline-first attendance (no dependencies, no inline script: CSP).
 *
 * Each tick is a mark with an id made on the phone; marks wait in localStorage until the
 * server confirms them, so nothing entered is lost when the connection drops. The server
 * endpoint is idempotent (a mark sent twice is stored once). Without JavaScript the page is
 * a plain form that the server saves in one go.
 */
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form || !window.localStorage || !window.fetch || !window.JSON) { return; }
  var key = "aman-attendance-" + form.getAttribute("data-workshop");
  var url = form.getAttribute("data-sync-url");
  var statusBox = document.getElementById("sync-status");
  var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = tokenInput ? tokenInput.value : "";
  var syncing = false;

  function load() {
    try { var q = JSON.parse(window.localStorage.getItem(key) || "[]"); return Array.isArray(q) ? q : []; }
    catch (e) { return []; }
  }
  function save(queue) { window.localStorage.setItem(key, JSON.stringify(queue)); }
  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16); window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function show() {
    var n = load().length;
    statusBox.hidden = false;
    if (!n) { statusBox.textContent = form.getAttribute("data-msg-synced"); statusBox.className = "sync-status synced"; }
    else if (!navigator.onLine) { statusBox.textContent = form.getAttribute("data-msg-offline"); statusBox.className = "sync-status waiting"; }
    else {
      statusBox.textContent = form.getAttribute("data-msg-pending").replace("{n}", String(n));
      statusBox.className = "sync-status waiting";
    }
    statusBox.setAttribute("data-pending", String(n));
  }
  function applyPending() {
    load().forEach(function (mark) {
      var box = form.querySelector("input[data-participant='" + Number(mark.participant) + "']");
      if (box) { box.checked = !!mark.present; }
    });
  }
  function sync() {
    var queue = load();
    if (!queue.length || syncing) { show(); return; }
    syncing = true;
    var batch = queue.slice(0, 200);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ marks: batch })
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var done = {};
      (data.accepted || []).forEach(function (id) { done[id] = true; });
      (data.rejected || []).forEach(function (r) { done[r.id] = true; });
      save(load().filter(function (m) { return !done[m.id]; }));
      syncing = false;
      show();
      if (load().length) { sync(); }
    }).catch(function () {
      syncing = false;
      show();
    });
  }
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || !box.getAttribute("data-participant")) { return; }
    var queue = load();
    queue.push({ id: newId(), participant: Number(box.getAttribute("data-participant")), present: box.checked, at: new Date().toISOString() });
    save(queue);
    show();
    sync();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); sync(); });
  window.addEventListener("online", sync);
  window.addEventListener("offline", show);
  window.setInterval(sync, 10000);
  applyPending();
  show();
  sync();
}());
