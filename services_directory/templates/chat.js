// Chat test page: talks to Rasa's REST channel and renders its messages with DOM APIs only
// (textContent, never innerHTML), so nothing the bot or the directory sends can run as code.
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  var webhook = form.dataset.rasaUrl + "/webhooks/rest/webhook";
  var log = document.getElementById("log");
  var input = document.getElementById("message");
  var select = document.getElementById("territory");
  var statusLine = document.getElementById("status");
  var SENDER_KEY = "amc-chat-sender";
  var TERRITORY_KEY = "amc-chat-territory";

  function newSender() {
    var id = window.crypto && crypto.randomUUID ? crypto.randomUUID()
      : Date.now().toString(36) + Math.random().toString(36).slice(2);
    sessionStorage.setItem(SENDER_KEY, id);
    return id;
  }

  function sender() {
    return sessionStorage.getItem(SENDER_KEY) || newSender();
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function webUrl(url) {
    return typeof url === "string" && /^(https?:\/\/|\/(?!\/))/i.test(url) ? url : null;
  }

  function frenchDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }

  function bubble(who, node) {
    var item = el("div", null, "msg " + who);
    item.appendChild(node);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function line(parent, node) {
    var p = el("p");
    p.appendChild(node);
    parent.appendChild(p);
  }

  function resultCard(result) {
    var card = el("li", null, "card");
    card.appendChild(el("p")).appendChild(el("strong", result.name));
    var where = result.commune || "";
    if (typeof result.distance_km === "number") {
      where += " · " + result.distance_km.toLocaleString("fr-FR", {maximumFractionDigits: 1}) + " km";
    }
    if (where) card.appendChild(el("p", where));
    if (result.phone) line(card, link("tel:" + String(result.phone).replace(/[^\d+]/g, ""), result.phone));
    if (result.email) line(card, link("mailto:" + result.email, result.email));
    if (webUrl(result.url)) line(card, link(result.url, "Site web"));
    if (result.verified_on) card.appendChild(el("p", "vérifié le " + frenchDate(result.verified_on), "muted"));
    return card;
  }

  function directoryResults(custom) {
    var box = el("div");
    if (custom.near && custom.near.name) box.appendChild(el("p", "Près de " + custom.near.name, "muted"));
    var list = el("ul", null, "cards");
    (custom.results || []).forEach(function (result) { list.appendChild(resultCard(result)); });
    box.appendChild(list);
    if (webUrl(custom.more_url)) line(box, link(custom.more_url, "Voir tout"));
    return box;
  }

  function handoff(custom) {
    var contact = custom.contact || {};
    var card = el("div", null, "card");
    card.appendChild(el("p")).appendChild(el("strong", contact.name || "Service d'accueil"));
    if (contact.phone) line(card, link("tel:" + String(contact.phone).replace(/[^\d+]/g, ""), contact.phone));
    if (contact.email) line(card, link("mailto:" + contact.email, contact.email));
    return card;
  }

  function buttons(list) {
    var box = el("div", null, "buttons");
    list.forEach(function (button) {
      var b = el("button", button.title);
      b.type = "button";
      b.addEventListener("click", function () { send(button.payload || button.title, button.title); });
      box.appendChild(b);
    });
    return box;
  }

  function render(message) {
    if (message.text) bubble("bot", el("p", message.text));
    if (Array.isArray(message.buttons) && message.buttons.length) bubble("bot", buttons(message.buttons));
    var custom = message.custom;
    if (custom && custom.type === "directory_results") bubble("bot", directoryResults(custom));
    if (custom && custom.type === "handoff") bubble("bot", handoff(custom));
  }

  async function send(text, shown) {
    bubble("user", el("p", shown || text));
    var body = {sender: sender(), message: text, metadata: {}};
    if (select.value) body.metadata.territory = select.value;
    statusLine.textContent = "Envoi…";
    try {
      var response = await fetch(webhook, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body)
      });
      if (!response.ok) throw new Error("HTTP " + response.status);
      var messages = await response.json();
      messages.forEach(render);
      statusLine.textContent = messages.length ? "" : "L'assistant n'a rien répondu.";
    } catch (error) {
      statusLine.textContent = "L'assistant ne répond pas (" + webhook + ") : " + error.message;
    }
  }

  var saved = sessionStorage.getItem(TERRITORY_KEY);
  if (saved !== null && Array.prototype.some.call(select.options, function (o) { return o.value === saved; })) {
    select.value = saved;
  }
  select.addEventListener("change", function () {
    sessionStorage.setItem(TERRITORY_KEY, select.value);
    newSender();
    log.textContent = "";
    statusLine.textContent = "Nouvelle conversation.";
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
