// The Languages checklist of a release or statement follows the form as the
// editor types: a headline or body filled in, a language made required.
(() => {
  const hasText = (field) => {
    if (!field) return false;
    const value = field.value || "";
    if (value.trim() === "null") return false; // an empty rich text field
    if (!value.trim().startsWith("{")) return value.trim() !== "";
    try {
      // A rich text field holds the editor's state as JSON (Draftail).
      return JSON.parse(value).blocks.some((block) => block.text.trim() !== "");
    } catch {
      return value.trim() !== "";
    }
  };

  const update = (status) => {
    const form = status.closest("form");
    let missing = 0;
    status.querySelectorAll("[data-needs]").forEach((item) => {
      const required = form.elements[item.dataset.requiredBy];
      const needed = required && required.checked && !hasText(form.elements[item.dataset.needs]);
      item.hidden = !needed;
      if (needed) missing += 1;
    });
    status.dataset.translationStatus = missing ? "missing" : "complete";
    status.querySelector("[data-missing]").hidden = !missing;
    status.querySelector("[data-complete]").hidden = Boolean(missing);
  };

  const watch = () => {
    const status = document.querySelector("[data-translation-status]");
    if (!status) return;
    const form = status.closest("form");
    let pending;
    const later = () => {
      // Rich text editors write their hidden field a moment after a keystroke.
      clearTimeout(pending);
      pending = setTimeout(() => update(status), 300);
    };
    ["input", "change", "keyup", "paste", "cut"].forEach((type) =>
      form.addEventListener(type, later, true),
    );
    update(status);
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
