// Autosave sends the whole form, the scheduling dialog's fields included,
// while the editor may still be typing a time in them: it sends the times the
// page had, so that only the dialog's own button ("Save the embargo") or a
// full save stores a new one. Wagtail's autosave lets its "save" event change
// what is sent.
document.addEventListener("w-autosave:save", (event) => {
  const formData = event.detail && event.detail.formData;
  if (!formData) return;
  document
    .querySelectorAll("#schedule-publishing-dialog input[name]")
    .forEach((input) => {
      if (formData.has(input.name)) formData.set(input.name, input.defaultValue);
    });
});
