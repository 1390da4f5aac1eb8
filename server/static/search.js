// The header's search box: suggestions from /search/suggest as you type (arrow keys, Enter, Esc).
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-suggest]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector("ul.suggestions");
  var url = form.getAttribute("data-suggest");
  var timer = null, active = -1, asked = "";

  function hide() { list.hidden = true; list.textContent = ""; active = -1; }

  function show(items) {
    list.textContent = "";
    active = -1;
    items.forEach(function (s) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = s.href;
      a.textContent = s.label;
      li.appendChild(a);
      if (s.match && s.match !== s.label) {  // matched a spelling variant: say which
        var alt = document.createElement("span");
        alt.className = "match";
        alt.textContent = s.match;
        li.appendChild(alt);
      }
      if (s.type) {
        var type = document.createElement("span");
        type.className = "type";
        type.textContent = s.type;
        li.appendChild(type);
      }
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
  }

  function ask() {
    var q = input.value.trim();
    if (q === asked) { return; }
    asked = q;
    if (!q) { hide(); return; }
    fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value.trim() === q) { show(data.suggestions); } })
      .catch(hide);
  }

  function highlight(i) {
    var items = list.querySelectorAll("li");
    if (!items.length) { return; }
    active = (i + items.length) % items.length;
    items.forEach(function (li, j) { li.classList.toggle("active", j === active); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { highlight(active + 1); e.preventDefault(); }
    else if (e.key === "ArrowUp") { highlight(active - 1); e.preventDefault(); }
    else if (e.key === "Escape") { hide(); }
    else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      window.location.href = list.querySelectorAll("li a")[active].href;
    }
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) { hide(); } });
})();
