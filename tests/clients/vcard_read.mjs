// Reads a vCard on stdin as ical.js does (Thunderbird's address book parses
// vCards with it) and prints its properties as one JSON object: each name
// gives a list of {value, params}.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const card = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const properties = {};
for (const property of card.getAllProperties()) {
  (properties[property.name] ??= []).push({
    value: property.getValues(),
    params: property.toJSON()[1],
  });
}
console.log(JSON.stringify(properties));
