/*! Aman "think before you post" widget. No dependencies. AGPL-3.0-or-later.
 *
 * <script src="https://AMAN/static/checks/aman-check.js" data-aman-key="aman_xxxxxxxx_..."
 *         data-aman-lang="ar" data-aman-target="textarea.comment" defer></script>
 * or: AmanCheck.attach(textarea, {key: "...", lang: "fr"})
 *
 * Before the comment's form is sent, the text is checked by Aman. When Aman suggests to think
 * again, a dialog offers to edit or to post anyway. The author always decides. If Aman is slow
 * (over 1.5 s) or unreachable, the form is sent as usual (fail open). Styles are set through
 * element.style (allowed by a strict Content-Security-Policy); no inline <style> is injected.
 */
(function () {
  "use strict";
  if (window.AmanCheck) { return; }

  var TEXTS = {
    ar: {title: "فكّر قبل النشر", message: "قد يجرح هذا شخصاً ما. هل تريد نشره على أي حال؟", edit: "تعديل منشوري", post: "النشر على أي حال", checking: "جارٍ التحقق…"},
    fr: {title: "Réfléchir avant de publier", message: "Ce message pourrait blesser quelqu’un. Voulez-vous le publier quand même ?", edit: "Modifier mon message", post: "Publier quand même", checking: "Vérification…"},
    ckb: {title: "پێش بڵاوکردنەوە بیر بکەرەوە", message: "لەوانەیە ئەمە کەسێک بڕەنجێنێت. دەتەوێت هەر بڵاوی بکەیتەوە؟", edit: "دەستکاریکردنی پۆستەکەم", post: "هەر بڵاوی بکەرەوە", checking: "پشکنین…"},
    en: {title: "Think before you post", message: "This might hurt someone. Do you want to post it anyway?", edit: "Edit my post", post: "Post anyway", checking: "Checking…"}
  };
  var RTL = {ar: true, ckb: true};
  var script = document.currentScript;
  var scriptOrigin = "";
  try { scriptOrigin = script ? new URL(script.src, document.baseURI).origin : ""; } catch (e) { scriptOrigin = ""; }
  var counter = 0;

  function lang(value) {
    var code = String(value || document.documentElement.lang || "ar").toLowerCase().split("-")[0];
    return TEXTS[code] ? code : "ar";
  }

  function css(el, styles) {
    for (var name in styles) {
      if (Object.prototype.hasOwnProperty.call(styles, name)) { el.style.setProperty(name, styles[name]); }
    }
    return el;
  }

  function post(url, key, body, timeoutMs) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, timeoutMs);
    var headers = {"Content-Type": "application/json"};
    if (key) { headers.Authorization = "Api-Key " + key; }
    return fetch(url, {
      method: "POST", headers: headers, body: JSON.stringify(body), credentials: "omit", mode: "cors",
      keepalive: !!body.outcome, signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      if (!response.ok) { throw new Error("Aman answered " + response.status); }
      return response.json();
    }, function (error) { clearTimeout(timer); throw error; });
  }

  function dialog(field, nudge, code, onEdit, onPost) {
    var t = TEXTS[code];
    var dir = nudge && nudge.dir ? nudge.dir : (RTL[code] ? "rtl" : "ltr");
    var id = "aman-check-" + (++counter);
    var previous = document.activeElement;
    var overlay = css(document.createElement("div"), {
      position: "fixed", inset: "0", background: "rgba(0,0,0,0.45)", display: "flex",
      "align-items": "center", "justify-content": "center", "z-index": "2147483000", padding: "1rem"
    });
    overlay.className = "aman-check-overlay";
    var box = css(document.createElement("div"), {
      background: "#fff", color: "#1d2329", "max-inline-size": "28rem", "inline-size": "100%",
      "border-radius": "12px", padding: "1.25rem", "box-shadow": "0 8px 30px rgba(0,0,0,0.3)",
      font: "16px/1.5 system-ui, 'Noto Naskh Arabic', 'Noto Sans', sans-serif", "text-align": "start"
    });
    box.className = "aman-check-dialog";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-labelledby", id + "-title");
    box.setAttribute("aria-describedby", id + "-message");
    box.setAttribute("dir", dir);
    box.setAttribute("lang", (nudge && nudge.language) || code);
    var title = css(document.createElement("h2"), {margin: "0 0 0.5rem", "font-size": "1.2rem"});
    title.id = id + "-title";
    title.textContent = (nudge && nudge.title) || t.title;
    var message = css(document.createElement("p"), {margin: "0 0 0.75rem"});
    message.id = id + "-message";
    message.textContent = (nudge && nudge.message) || t.message;
    box.appendChild(title);
    box.appendChild(message);
    if (nudge && nudge.reasons && nudge.reasons.length) {
      var list = css(document.createElement("ul"), {margin: "0 0 0.75rem", "padding-inline-start": "1.25rem"});
      for (var i = 0; i < nudge.reasons.length; i++) {
        var item = document.createElement("li");
        item.textContent = nudge.reasons[i].message;
        list.appendChild(item);
      }
      box.appendChild(list);
    }
    var row = css(document.createElement("div"), {display: "flex", gap: "0.5rem", "flex-wrap": "wrap"});
    function button(label, primary, name) {
      var b = css(document.createElement("button"), {
        font: "inherit", padding: "0.5rem 1rem", "border-radius": "8px", cursor: "pointer",
        border: "2px solid #0b5c52", background: primary ? "#0b5c52" : "#fff", color: primary ? "#fff" : "#0b5c52"
      });
      b.type = "button";
      b.textContent = label;
      b.setAttribute("data-aman-action", name);
      return b;
    }
    var edit = button((nudge && nudge.edit) || t.edit, true, "edit");
    var postAnyway = button((nudge && nudge.post_anyway) || t.post, false, "post");
    row.appendChild(edit);
    row.appendChild(postAnyway);
    box.appendChild(row);
    overlay.appendChild(box);

    function close() {
      document.removeEventListener("keydown", onKey, true);
      if (overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
    }
    function onKey(event) {
      if (event.key === "Escape") { event.preventDefault(); close(); onEdit(); return; }
      if (event.key === "Tab") {  // keep focus inside the dialog
        var first = edit, last = postAnyway;
        if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
        else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
        else if (!box.contains(document.activeElement)) { event.preventDefault(); first.focus(); }
      }
    }
    edit.addEventListener("click", function () { close(); onEdit(); });
    postAnyway.addEventListener("click", function () { close(); if (previous && previous.focus) { previous.focus(); } onPost(); });
    document.addEventListener("keydown", onKey, true);
    document.body.appendChild(overlay);
    edit.focus();
    return box;
  }

  function attach(field, options) {
    options = options || {};
    if (!field || field.getAttribute("data-aman-attached")) { return null; }
    field.setAttribute("data-aman-attached", "1");
    var form = field.form || (field.closest ? field.closest("form") : null);
    var code = lang(options.lang);
    var endpoint = options.endpoint || (scriptOrigin ? scriptOrigin + "/api/v1/check" : "/api/v1/check");
    var timeoutMs = options.timeout || 1500;
    var profile = options.profile || "default";
    var passing = false;
    var busy = false;

    function outcome(checkId, value) {
      if (!checkId) { return; }
      post(endpoint + "/outcome", options.key, {check_id: checkId, outcome: value}, 5000).catch(function () {});
    }
    function send(submitter) {
      passing = true;
      if (form.requestSubmit) { form.requestSubmit(submitter && submitter.form === form ? submitter : undefined); }
      else { form.submit(); }
      passing = false;
    }
    function onSubmit(event) {
      if (passing) { return; }
      var text = field.value || "";
      if (!text.trim()) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      if (busy) { return; }
      busy = true;
      var submitter = event.submitter;
      form.setAttribute("aria-busy", "true");
      var body = {text: text, ui_language: code, profile: profile};
      if (options.textLanguage) { body.language = options.textLanguage; }
      post(endpoint, options.key, body, timeoutMs).then(function (result) {
        busy = false;
        form.removeAttribute("aria-busy");
        if (!result || result.decision !== "reconsider") { send(submitter); return; }
        outcome(result.check_id, "shown");
        if (options.onDecision) { try { options.onDecision(result); } catch (e) { /* the host's bug */ } }
        dialog(field, result.nudge, code, function () {
          outcome(result.check_id, "edited");
          field.focus();
        }, function () {
          outcome(result.check_id, "posted_anyway");
          send(submitter);
        });
      }, function () {  // unreachable, slow, refused: the post goes through
        busy = false;
        form.removeAttribute("aria-busy");
        send(submitter);
      });
    }
    if (form) { form.addEventListener("submit", onSubmit, true); }
    return {detach: function () { if (form) { form.removeEventListener("submit", onSubmit, true); } field.removeAttribute("data-aman-attached"); }};
  }

  window.AmanCheck = {attach: attach, texts: TEXTS, version: "1"};

  function autoAttach() {
    if (!script) { return; }
    var key = script.getAttribute("data-aman-key");
    var selector = script.getAttribute("data-aman-target") || "textarea[data-aman-check]";
    var endpoint = script.getAttribute("data-aman-endpoint") || undefined;
    if (!key && !endpoint) { return; }
    var fields = document.querySelectorAll(selector);
    for (var i = 0; i < fields.length; i++) {
      attach(fields[i], {
        key: key, endpoint: endpoint, lang: script.getAttribute("data-aman-lang") || fields[i].getAttribute("lang"),
        profile: script.getAttribute("data-aman-profile") || undefined
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", autoAttach); }
  else { autoAttach(); }
})();
