// A lay summary's readability panel, measured again as the editor types:
// the sections' text is posted to the admin (never saved there) and the
// panel replaced by the answer, a second after the last keystroke.
(function () {
  "use strict";
  const panel = document.querySelector("[data-readability]");
  const form = document.getElementById("page-edit-form");
  if (!panel || !form) return;
  const url = panel.dataset.readabilityUrl;
  let timer = null;
  function measure() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    for (const field of form.querySelectorAll("textarea[data-lay-section]")) {
      data.append(field.name, field.value);
    }
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (!html) return;
        const fresh = new DOMParser()
          .parseFromString(html, "text/html")
          .querySelector("[data-readability]");
        if (fresh) panel.replaceChildren(...fresh.childNodes);
      });
  }
  form.addEventListener("input", (event) => {
    if (!event.target.matches("textarea[data-lay-section]")) return;
    clearTimeout(timer);
    timer = setTimeout(measure, 1000);
  });
})();
