// Under each embargo field, the time typed repeated with its zone and in UTC,
// so that nobody has to guess which clock the embargo is set on.
(function () {
  "use strict";

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  // The UTC instant of a wall-clock time in `zone` (Intl knows the rules).
  function zonedToUtc(fields, zone) {
    const wanted = Date.UTC(...fields);
    const format = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    let guess = wanted;
    for (let step = 0; step < 3; step += 1) {
      const parts = {};
      format.formatToParts(new Date(guess)).forEach((part) => {
        parts[part.type] = Number(part.value);
      });
      const shown = Date.UTC(
        parts.year,
        parts.month - 1,
        parts.day,
        parts.hour,
        parts.minute,
      );
      guess += wanted - shown;
    }
    return new Date(guess);
  }

  function describe(output) {
    const input = document.getElementById(output.dataset.embargoFor);
    if (!input) return;
    const match = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})/.exec(input.value);
    if (!match) {
      output.textContent = "";
      return;
    }
    const [, year, month, day, hour, minute] = match.map(Number);
    const utc = zonedToUtc([year, month - 1, day, hour, minute], output.dataset.zone);
    const offset = Math.round(
      (Date.UTC(year, month - 1, day, hour, minute) - utc.getTime()) / 60000,
    );
    const sign = offset >= 0 ? "+" : "−";
    const hours = Math.floor(Math.abs(offset) / 60);
    const rest = Math.abs(offset) % 60;
    const sameDay = utc.getUTCDate() === day;
    const utcText =
      (sameDay
        ? ""
        : `${utc.getUTCFullYear()}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())} `) +
      `${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())} UTC`;
    output.textContent = output.dataset.pattern
      .replace("{time}", `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}`)
      .replace("{offset}", `UTC${sign}${hours}${rest ? `:${pad(rest)}` : ""}`)
      .replace("{utc}", utcText);
  }

  function watch(output) {
    const input = document.getElementById(output.dataset.embargoFor);
    if (!input || output.dataset.embargoWatched) return;
    output.dataset.embargoWatched = "true";
    ["input", "change", "keyup"].forEach((type) =>
      input.addEventListener(type, () => describe(output)),
    );
    describe(output);
  }

  // The open date picker sits in the dialog's flow, above the save button. A
  // press elsewhere closes it (on mousedown), which would move the button
  // away before the click lands: the save button keeps the picker open until
  // its click has happened.
  function holdLayoutForSave(output) {
    const dialog = output.closest("#schedule-publishing-dialog");
    const save = dialog && dialog.querySelector("button[type=submit]");
    if (!save || save.dataset.embargoHold) return;
    save.dataset.embargoHold = "true";
    save.addEventListener("mousedown", (event) => {
      event.preventDefault(); // keeps the focus, so the picker stays open
      event.stopPropagation(); // the picker's "click outside" never hears it
    });
    save.addEventListener("touchstart", (event) => event.stopPropagation());
  }

  function watchAll() {
    document.querySelectorAll("[data-embargo-time]").forEach((output) => {
      watch(output);
      holdLayoutForSave(output);
    });
  }

  // The dialog reaches the page from a <template>: look again when it is used.
  document.addEventListener("focusin", watchAll);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchAll);
  } else {
    watchAll();
  }
})();
