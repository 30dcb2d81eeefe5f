// Reads an iCalendar file on stdin as ical.js does (the parser inside
// Thunderbird and many web calendars) and prints each event's summary and
// start as a UTC instant, one JSON object per line.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
for (const component of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(component);
  console.log(
    JSON.stringify({
      summary: event.summary,
      start: event.startDate.toJSDate().toISOString(),
    }),
  );
}
