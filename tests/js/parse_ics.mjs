// Reads an .ics on standard input with ical.js (the parser inside Thunderbird)
// and prints its events as JSON, times converted to UTC through the file's own
// VTIMEZONEs, so the Python tests can compare them with the database.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const text = readFileSync(0, "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const utc = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toJSDate().toISOString().replace(".000Z", "Z");
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
    start: utc(event.startDate),
    end: utc(event.endDate),
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    description: event.description,
    location: event.location,
    url: component.getFirstPropertyValue("url"),
    rrule: component.hasProperty("rrule"),
  };
});
process.stdout.write(JSON.stringify({
  name: calendar.getFirstPropertyValue("x-wr-calname"),
  method: calendar.getFirstPropertyValue("method"),
  events,
}));
