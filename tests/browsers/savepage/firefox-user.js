// Preferences of the Firefox profiles the browser tests and bench-browsers make: scripts may
// close the window (which makes Firefox flush localStorage and exit), dump() reaches stdout, and
// nothing asks, updates or reports on a first run.
user_pref("dom.allow_scripts_to_close_windows", true);
user_pref("browser.dom.window.dump.enabled", true);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.update.enabled", false);
user_pref("browser.tabs.warnOnClose", false);
user_pref("browser.warnOnQuit", false);
user_pref("browser.sessionstore.resume_from_crash", false);
