// Checks a field of the request form when the voter leaves it, with the server's words
// (backend/web/request_form.py), so a mistake shows before sending. The server checks
// everything again: this file only spares a round trip. No inline script (strict CSP).
"use strict";
(function () {
  var LETTERS = /^[\p{Script=Latin}'\u2019-]+( [\p{Script=Latin}'\u2019-]+)*$/u;
  var RULES = {
    nom: { longest: 100, words: "Saisissez le nom de naissance du mandataire (lettres, espaces, tirets et apostrophes, 100 caractères au plus)." },
    prenoms: { longest: 150, words: "Saisissez les prénoms du mandataire (lettres, espaces, tirets et apostrophes, 150 caractères au plus)." }
  };

  function show(input, message) {
    var group = input.closest(".fr-input-group");
    var id = input.id + "-erreur";
    var shown = document.getElementById(id);
    if (!group) { return; }
    group.classList.toggle("fr-input-group--error", Boolean(message));
    input.classList.toggle("fr-input--error", Boolean(message));
    if (message) {
      if (!shown) {
        shown = document.createElement("p");
        shown.id = id;
        shown.className = "fr-error-text";
        group.appendChild(shown);
      }
      shown.textContent = message;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
    } else {
      if (shown) { shown.remove(); }
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    var rule = input && input.dataset ? RULES[input.dataset.regle] : undefined;
    // Leaving the field for the submit button: the server checks it, and a message shown
    // now would move the button between the press and the release of the click.
    if (!rule || (event.relatedTarget && event.relatedTarget.type === "submit")) { return; }
    var text = input.value.normalize("NFC");
    var ok = text.length > 0 && text.length <= rule.longest && LETTERS.test(text);
    show(input, ok ? "" : rule.words);
  });
})();
