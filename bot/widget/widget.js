/*
 * Accueil Massif central: the chat widget a territory embeds with one tag:
 *   <script src="https://…/widget.js" data-territory="hautes-terres" defer></script>
 * Optional: data-rasa-url, data-color, data-greeting, data-title.
 *
 * Privacy (CNIL): at load only the launcher button is drawn. Nothing is fetched and nothing is
 * written to the visitor's device until the visitor opens the chat; from then on a random
 * sender id and the transcript live in localStorage so the conversation survives reloads.
 * Safety: text from the bot or the directory only ever goes through textContent or
 * attribute setters on elements built here; URLs are checked before becoming links.
 * Transport: Rasa's REST channel: one POST per turn gives a clear end of turn (typing
 * indicator, retry of exactly the unanswered message) and needs no library nor sticky sessions.
 */
(function () {
  "use strict";

  // Both placeholders are replaced by the directory when it serves this file.
  var DEFAULT_RASA_URL = "__AMC_RASA_URL__";
  var CSS = "__AMC_CSS__";
  var DEFAULT_COLOR = "#0a4d8c";
  var DEFAULT_GREETING = "Bonjour ! Je réponds à vos questions sur l'emploi, le télétravail, " +
    "la garde d'enfants et les transports du territoire. Posez votre question simplement.";
  var MAX_TURNS = 60;
  var TIMEOUT_MS = 60000;

  var script = document.currentScript ||
    document.querySelector("script[src*='widget.js'][data-territory]");
  if (!script || !Element.prototype.attachShadow || document.getElementById("amc-widget")) return;

  var data = script.dataset;
  var origin = new URL(script.src, location.href).origin;
  var territory = (data.territory || "").trim().toLowerCase();
  // data-rasa-url may be relative to the page (a reverse proxy on the site itself).
  var rasaUrl = (webUrl(data.rasaUrl, location.href) || webUrl(DEFAULT_RASA_URL) || "")
    .replace(/\/+$/, "");
  var KEY = "amc-chat:" + (territory || "massif-central");

  var state = readSaved();  // null until the visitor first opens the chat
  var nodes = new WeakMap();  // turn -> its elements (kept out of what is stored)
  var sending = false;
  var configAsked = false;
  var ui = {};

  // ---- small helpers -------------------------------------------------------------------

  function webUrl(value, base) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = new URL(value, base || undefined);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function srOnly(text) {
    return el("span", "sr", text);
  }

  function button(className, text, onClick) {
    var b = el("button", className, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function externalLink(href, text, hiddenText) {
    var a = el("a", null, text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.appendChild(srOnly((hiddenText || "") + " (nouvelle fenêtre)"));
    return a;
  }

  function telLink(phone) {
    var digits = String(phone).replace(/[^\d+]/g, "");
    if (!digits) return null;
    var a = el("a", null, String(phone));
    a.href = "tel:" + digits;
    return a;
  }

  function mailLink(email) {
    if (!/^[^\s@?&<>"]+@[^\s@?&<>"]+$/.test(String(email))) return null;
    var a = el("a", null, String(email));
    a.href = "mailto:" + email;
    return a;
  }

  // Plain text with its http(s) URLs turned into links built as elements (never parsed HTML).
  function richText(text) {
    var p = el("p");
    var pattern = /https?:\/\/[^\s<>"«»]+/gi;
    var last = 0;
    var match;
    while ((match = pattern.exec(text))) {
      var raw = match[0].replace(/[.,;:!?)\]]+$/, "");
      var href = webUrl(raw);
      if (!href) continue;
      p.appendChild(document.createTextNode(text.slice(last, match.index)));
      p.appendChild(externalLink(href, raw));
      last = match.index + raw.length;
      pattern.lastIndex = last;
    }
    p.appendChild(document.createTextNode(text.slice(last)));
    return p;
  }

  function frenchDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }

  function frenchKm(km) {
    return km.toLocaleString("fr-FR", {minimumFractionDigits: 1, maximumFractionDigits: 1}) +
      "\u00a0km";
  }

  // ---- colours: the territory's colour with text that keeps a 4.5:1 contrast -----------

  function rgb(hex) {
    var m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(hex || "").trim());
    if (!m) return null;
    var h = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    return [0, 2, 4].map(function (i) { return parseInt(h.slice(i, i + 2), 16); });
  }

  function luminance(c) {
    var v = c.map(function (x) {
      x /= 255;
      return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function hex(c) {
    return "#" + c.map(function (x) {
      return ("0" + Math.round(x).toString(16)).slice(-2);
    }).join("");
  }

  function applyColor(color) {
    var accent = rgb(color) || rgb(DEFAULT_COLOR);
    var white = [255, 255, 255];
    var onAccent = contrast(accent, white) >= 4.5 ? "#ffffff" : "#000000";
    // Links and outlined buttons sit on white or on the log's light grey: darken the colour
    // until it reads on the grey (then it reads on white too).
    var grey = [246, 246, 246];
    var link = accent.slice();
    while (contrast(link, grey) < 4.6) link = link.map(function (x) { return x * 0.9; });
    ui.root.style.setProperty("--amc-accent", hex(accent));
    ui.root.style.setProperty("--amc-on-accent", onAccent);
    ui.root.style.setProperty("--amc-link", hex(link));
  }

  // ---- device storage: only after the visitor opened the chat ------------------------

  function readSaved() {
    try {
      var saved = JSON.parse(localStorage.getItem(KEY));
      return saved && typeof saved.sender === "string" && Array.isArray(saved.turns) ? saved : null;
    } catch (e) {
      return null;
    }
  }

  function save() {
    if (!state) return;
    state.turns = state.turns.slice(-MAX_TURNS);
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) { /* storage full or blocked: the conversation still works for this page */ }
  }

  function newState() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var sender = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return {sender: sender, turns: [], open: true, config: {}};
  }

  // ---- the territory's settings (name, colour, greeting), asked for on first open ------

  function loadConfig() {
    if (configAsked || !territory) return;
    configAsked = true;
    fetch(origin + "/api/v1/territories/" + encodeURIComponent(territory), {credentials: "omit"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (!t || !state) return;
        var widget = t.widget || {};
        state.config = {
          name: typeof t.name === "string" ? t.name : null,
          color: typeof widget.color === "string" ? widget.color : null,
          greeting: typeof widget.greeting === "string" ? widget.greeting : null,
          // Kept at hand: when the assistant cannot be reached, a person still can.
          contact: contactLine(t.welcome_contact)
        };
        save();
        applyConfig();
      })
      .catch(function () { /* defaults stay: the chat works without the settings */ });
  }

  function contactLine(contact) {
    if (!contact || typeof contact !== "object") return null;
    var parts = [contact.name, contact.phone, contact.email].filter(function (part) {
      return typeof part === "string" && part;
    });
    return parts.length ? parts.join(" — ") : null;
  }

  function applyConfig() {
    var config = (state && state.config) || {};
    applyColor(data.color || config.color || DEFAULT_COLOR);
    ui.title.textContent = data.title ||
      (config.name ? "Accueil · " + config.name : "Accueil des nouveaux habitants");
    ui.greeting.replaceChildren(richText(data.greeting || config.greeting || DEFAULT_GREETING));
  }

  // ---- rendering of a conversation -----------------------------------------------------

  function bubble(parent, className, child) {
    var box = el("div", "msg " + className);
    box.appendChild(child);
    parent.appendChild(box);
    return box;
  }

  function resultCard(result) {
    var card = el("li", "card");
    var name = String(result.name || "");
    card.appendChild(el("h3", null, name));
    var where = result.commune ? String(result.commune) : "";
    if (typeof result.distance_km === "number" && isFinite(result.distance_km)) {
      where += (where ? " · " : "") + frenchKm(result.distance_km);
    }
    if (where) card.appendChild(el("p", null, where));
    var tel = result.phone && telLink(result.phone);
    if (tel) {
      var p = el("p", null, "Tél. ");
      p.appendChild(tel);
      card.appendChild(p);
    }
    var mail = result.email && mailLink(result.email);
    if (mail) card.appendChild(el("p")).appendChild(mail);
    var site = webUrl(result.url);
    if (site) card.appendChild(el("p")).appendChild(externalLink(site, "Site web", " de " + name));
    var verified = frenchDate(result.verified_on);
    if (verified) card.appendChild(el("p", "muted", "vérifié le " + verified));
    return card;
  }

  function resultsBlock(parent, custom, active) {
    var results = Array.isArray(custom.results) ? custom.results : [];
    if (!results.length) return;
    var box = el("div", "msg results");
    if (custom.near && custom.near.name) {
      box.appendChild(el("p", "muted", "Près de " + custom.near.name));
    }
    var list = el("ul", "cards");
    results.forEach(function (r) {
      if (r && typeof r === "object") list.appendChild(resultCard(r));
    });
    box.appendChild(list);
    var more = webUrl(custom.more_url, origin);
    if (more) {
      box.appendChild(el("p", "more"))
        .appendChild(externalLink(more, "Voir tout", " : toutes les adresses"));
    }
    parent.appendChild(box);
    if (active) parent.appendChild(feedbackButtons());
  }

  function feedbackButtons() {
    var group = el("div", "choices feedback live-choice");
    group.setAttribute("role", "group");
    var question = el("span", null, "Cette réponse vous a-t-elle été utile ?");
    question.id = "amc-fb-" + Math.random().toString(36).slice(2);
    group.setAttribute("aria-labelledby", question.id);
    group.appendChild(question);
    // Sent as intents, so the judgement lands in the tracker next to the answer it judges.
    [["Utile", "/feedback_positive"], ["Pas utile", "/feedback_negative"]].forEach(function (f) {
      group.appendChild(button(null, f[0], function () { choose(f[1], f[0]); }));
    });
    return group;
  }

  function handoffCard(parent, custom) {
    var contact = custom.contact || {};
    var card = el("div", "msg card handoff");
    card.appendChild(el("span", "label", "Parler à une personne"));
    card.appendChild(el("h3", null, contact.name || "Service d'accueil"));
    var tel = contact.phone && telLink(contact.phone);
    if (tel) {
      var p = el("p", null, "Tél. ");
      p.appendChild(tel);
      card.appendChild(p);
    }
    var mail = contact.email && mailLink(contact.email);
    if (mail) card.appendChild(el("p")).appendChild(mail);
    parent.appendChild(card);
  }

  function quickReplies(parent, buttons) {
    var group = el("div", "choices live-choice");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Réponses suggérées");
    buttons.forEach(function (b) {
      if (!b || !b.title) return;
      group.appendChild(button(null, b.title, function () {
        choose(b.payload || b.title, b.title);
      }));
    });
    if (group.childNodes.length) parent.appendChild(group);
  }

  function botText(parent, text) {
    var notice = !ui.noticeShown;
    ui.noticeShown = true;
    var box = bubble(parent, notice ? "bot notice" : "bot", richText(text));
    if (notice) box.insertBefore(el("span", "label", "Information"), box.firstChild);
  }

  // The turn's plain text repeats the cards for channels without them: keep its first line.
  function shortText(text, results) {
    var first = results && results[0] && results[0].name;
    return first && text.indexOf(first) !== -1 ? text.split("\n")[0] : text;
  }

  function renderReplies(turn, active) {
    var parent = nodes.get(turn).node;
    var found = turn.replies.filter(function (m) {
      return m.custom && m.custom.type === "directory_results";
    })[0];
    var results = found && Array.isArray(found.custom.results) ? found.custom.results : null;
    var buttons = [];
    if (!turn.replies.length) {
      bubble(parent, "bot", el("p", null, "L'assistant n'a rien répondu. Reformulez votre " +
        "question, ou demandez à parler à l'accueil."));
    }
    turn.replies.forEach(function (m) {
      if (typeof m.text === "string" && m.text) botText(parent, shortText(m.text, results));
      if (Array.isArray(m.buttons)) buttons = buttons.concat(m.buttons);
      var custom = m.custom;
      if (custom && custom.type === "directory_results") resultsBlock(parent, custom, active);
      if (custom && custom.type === "handoff") handoffCard(parent, custom);
    });
    // Suggestions make sense only for the latest answer; they come after its cards.
    if (active && buttons.length) quickReplies(parent, buttons);
  }

  function renderTurn(turn, active) {
    var node = el("div", "turn");
    var box = bubble(node, "user", el("p", null, turn.shown));
    box.insertBefore(srOnly("Vous : "), box.firstChild);
    nodes.set(turn, {node: node, box: box, state: box.appendChild(el("span", "state"))});
    if (turn.replies) renderReplies(turn, active);
    ui.log.appendChild(node);
  }

  function markFailed(turn, failed) {
    var found = nodes.get(turn);
    if (!found) return;
    found.box.classList.toggle("failed", failed);
    found.state.textContent = failed ? "Non envoyé" : "";
  }

  function renderAll() {
    ui.log.replaceChildren(ui.greetingBox);
    ui.noticeShown = false;
    state.turns.forEach(function (turn, i) { renderTurn(turn, i === state.turns.length - 1); });
    scrollDown();
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // ---- talking to Rasa -------------------------------------------------------------------

  function keep(message) {
    // Only what the widget renders is stored (no recipient id, no unknown fields).
    var kept = {};
    if (typeof message.text === "string") kept.text = message.text;
    if (Array.isArray(message.buttons)) {
      kept.buttons = message.buttons.map(function (b) {
        return {title: String((b && b.title) || ""), payload: String((b && b.payload) || "")};
      });
    }
    if (message.custom && typeof message.custom === "object") kept.custom = message.custom;
    return kept;
  }

  async function post(text) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    try {
      var response = await fetch(rasaUrl + "/webhooks/rest/webhook", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({
          sender: state.sender,
          message: text,
          metadata: territory ? {territory: territory} : {}
        }),
        credentials: "omit",
        signal: controller.signal
      });
      if (!response.ok) throw new Error("HTTP " + response.status);
      var messages = await response.json();
      if (!Array.isArray(messages)) throw new Error("réponse inattendue");
      return messages.filter(function (m) { return m && typeof m === "object"; }).map(keep);
    } finally {
      clearTimeout(timer);
    }
  }

  function setTyping(on) {
    ui.typing.replaceChildren();
    if (!on) return;
    var dots = el("span", "dots");
    dots.setAttribute("aria-hidden", "true");
    dots.append(el("i"), el("i"), el("i"));
    ui.typing.append(dots, document.createTextNode("L'assistant écrit…"));
  }

  function showError(on) {
    var contact = state && state.config && state.config.contact;
    ui.errorContact.textContent = contact ? "Vous pouvez aussi joindre le service d'accueil : " +
      contact + "." : "";
    ui.errorContact.hidden = !contact;
    ui.error.hidden = !on;
  }

  // Sends the unanswered turns in order, one at a time; a failure stops here and waits for
  // "Réessayer", the browser coming back online, or the next message.
  async function flush() {
    if (sending || !state) return;
    var turn = state.turns.filter(function (t) { return !t.replies; })[0];
    if (!turn) return;
    sending = true;
    showError(false);
    markFailed(turn, false);
    setTyping(true);
    try {
      turn.replies = await post(turn.payload);
    } catch (e) {
      markFailed(turn, true);
      showError(true);
      return;
    } finally {
      sending = false;
      setTyping(false);
    }
    var index = state.turns.indexOf(turn);
    if (index !== -1) {  // -1: the visitor cleared the conversation meanwhile
      save();
      if (nodes.has(turn)) renderReplies(turn, index === state.turns.length - 1);
      scrollDown();
    }
    flush();
  }

  function send(payload, shown) {
    payload = String(payload || "").trim();
    if (!payload) return;
    ui.log.querySelectorAll(".live-choice").forEach(function (node) { node.remove(); });
    var turn = {
      payload: payload.slice(0, 1000),
      shown: String(shown || payload).slice(0, 1000),
      replies: null  // null until Rasa answered: such a turn is sent again
    };
    state.turns.push(turn);
    save();
    renderTurn(turn, true);
    scrollDown();
    flush();
  }

  function choose(payload, title) {
    // The clicked button goes away with its group: keep the keyboard focus in the chat.
    ui.input.focus();
    send(payload, title);
  }

  // ---- opening and closing ---------------------------------------------------------------

  function open(focus) {
    if (!state) state = newState();
    state.open = true;
    save();
    loadConfig();
    applyConfig();
    if (!ui.rendered) {
      renderAll();
      ui.rendered = true;
      window.addEventListener("online", flush);
    }
    ui.panel.hidden = false;
    ui.root.classList.add("open");
    ui.launcher.setAttribute("aria-expanded", "true");
    scrollDown();
    if (focus) ui.input.focus();
    flush();
  }

  function close() {
    ui.panel.hidden = true;
    ui.root.classList.remove("open");
    ui.launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    ui.launcher.focus();
  }

  function clearConversation() {
    try {
      localStorage.removeItem(KEY);
    } catch (e) { /* nothing stored */ }
    var config = state.config;
    state = newState();
    state.config = config;
    save();
    showError(false);
    renderAll();
    ui.input.focus();
  }

  // ---- building the widget (launcher only is visible at load) -----------------------------

  var ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
  var ICON_CLOSE = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 " +
    "17.6 10.6 12 5 6.4z";

  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }

  function build() {
    var host = el("div");
    host.id = "amc-widget";
    var shadow = host.attachShadow({mode: "open"});
    // A constructed style sheet passes a host page's strict Content-Security-Policy
    // (no 'unsafe-inline' styles); a <style> element is the fallback.
    if ("adoptedStyleSheets" in shadow && window.CSSStyleSheet) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.appendChild(el("style", null, CSS));
    }
    ui.root = shadow.appendChild(el("div", "amc"));
    ui.root.lang = "fr";

    ui.panel = el("div", "panel");
    ui.panel.id = "amc-panel";
    ui.panel.hidden = true;
    ui.panel.setAttribute("role", "dialog");
    ui.panel.setAttribute("aria-modal", "false");
    ui.panel.setAttribute("aria-labelledby", "amc-title");

    var head = ui.panel.appendChild(el("div", "head"));
    ui.title = head.appendChild(el("h2", "title", "Accueil des nouveaux habitants"));
    ui.title.id = "amc-title";
    head.appendChild(button("reset", "Effacer", clearConversation))
      .setAttribute("aria-label", "Effacer la conversation");
    var closer = head.appendChild(button("close", null, close));
    closer.appendChild(icon(ICON_CLOSE));
    closer.appendChild(srOnly("Fermer la discussion"));

    ui.log = ui.panel.appendChild(el("div", "log"));
    ui.log.setAttribute("role", "log");
    ui.log.setAttribute("aria-live", "polite");
    ui.log.setAttribute("aria-label", "Conversation");
    ui.log.tabIndex = 0;
    ui.greeting = el("div");
    ui.greetingBox = bubble(el("div"), "bot greeting", ui.greeting);

    ui.typing = ui.panel.appendChild(el("p", "typing"));
    ui.typing.setAttribute("role", "status");

    ui.error = ui.panel.appendChild(el("div", "error"));
    ui.error.hidden = true;
    ui.error.setAttribute("role", "alert");
    ui.error.appendChild(el("p", null, "Votre message n'a pas pu être envoyé. " +
      "Vérifiez votre connexion : il sera renvoyé."));
    ui.errorContact = ui.error.appendChild(el("p", "contact"));
    ui.error.appendChild(button("retry", "Réessayer", function () { ui.input.focus(); flush(); }));

    var form = ui.panel.appendChild(el("form", "form"));
    var label = form.appendChild(el("label", "sr", "Votre message"));
    label.htmlFor = "amc-input";
    ui.input = form.appendChild(el("input"));
    ui.input.id = "amc-input";
    ui.input.type = "text";
    ui.input.maxLength = 500;
    ui.input.autocomplete = "off";
    ui.input.setAttribute("enterkeyhint", "send");
    ui.input.placeholder = "Votre question…";
    var submit = form.appendChild(el("button", "send", "Envoyer"));
    submit.type = "submit";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text) return;
      ui.input.value = "";
      send(text, text);
    });

    ui.launcher = button("launcher", null, function () {
      if (ui.panel.hidden) open(true); else close();
    });
    ui.launcher.appendChild(icon(ICON_CHAT));
    ui.launcher.appendChild(el("span", null, "Une question ?"));
    ui.launcher.appendChild(srOnly(" Discuter avec l'assistant d'accueil"));
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.setAttribute("aria-controls", "amc-panel");

    ui.root.appendChild(ui.panel);
    ui.root.appendChild(ui.launcher);
    ui.root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !ui.panel.hidden) {
        event.stopPropagation();
        close();
      }
    });
    // Colours at load come from the tag or an earlier visit only: nothing is fetched yet.
    applyColor(data.color || (state && state.config && state.config.color) || DEFAULT_COLOR);
    document.body.appendChild(host);
  }

  function start() {
    build();
    // A visitor who left the chat open finds it open on the next page, without moving focus.
    if (state && state.open) open(false);
  }

  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
