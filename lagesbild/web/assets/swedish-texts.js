/* Swedish texts for the components whose own texts are English and have no property to change them.

   dcc.Dropdown: "No results found" when a typed name matches nothing, "Select..." with no placeholder
   set, the "Clear all" / "Clear value" tooltip of the × that empties it.
   dcc.DatePickerSingle (react-dates): the weekday heads ("Mo", "Tu" …), the screen-reader names of the
   calendar, of its month buttons and of each day ("Selected. Friday, November 13, 2026").

   They are rewritten where they appear: a text node's value is changed in place (React keeps its
   node), an attribute is set again. */
(function () {
    var TEXTS = {
        'No results found': 'Inga träffar',
        'Select...': 'Välj …',
        'Clear all': 'Rensa alla',
        'Clear value': 'Rensa',
        'Loading...': 'Laddar …',
        'Calendar': 'Kalender',
        'Move backward to switch to the previous month.': 'Föregående månad',
        'Move forward to switch to the next month.': 'Nästa månad',
        'Clear Date': 'Rensa datumet',
        'Mo': 'må', 'Tu': 'ti', 'We': 'on', 'Th': 'to', 'Fr': 'fr', 'Sa': 'lö', 'Su': 'sö'
    };
    var DAYS = {Monday: 'måndag', Tuesday: 'tisdag', Wednesday: 'onsdag', Thursday: 'torsdag',
                Friday: 'fredag', Saturday: 'lördag', Sunday: 'söndag'};
    var MONTHS = {January: 'januari', February: 'februari', March: 'mars', April: 'april', May: 'maj',
                  June: 'juni', July: 'juli', August: 'augusti', September: 'september',
                  October: 'oktober', November: 'november', December: 'december'};
    // a day's name as react-dates writes it: "[Selected. ][Not available. ]Friday, November 13, 2026"
    var DAY_LABEL = /^(Selected\. )?(Not available\. )?(\w+), (\w+) (\d{1,2}), (\d{4})$/;
    function translate(value) {
        if (!value) { return null; }
        if (TEXTS[value.trim()]) { return TEXTS[value.trim()]; }
        var m = DAY_LABEL.exec(value);
        if (m && DAYS[m[3]] && MONTHS[m[4]]) {
            return (m[1] ? 'Valt: ' : '') + (m[2] ? 'Kan inte väljas: ' : '') +
                DAYS[m[3]] + ' ' + m[5] + ' ' + MONTHS[m[4]] + ' ' + m[6];
        }
        return null;
    }
    var SELECTOR = '.Select-noresults, .Select-placeholder, .Select-clear-zone, .Select-loading-zone, ' +
        '.DayPicker [aria-label], .DayPicker [title], .DayPicker_weekHeader_li small, ' +
        '.SingleDatePicker [aria-label]';
    function swedish(el) {
        ['title', 'aria-label'].forEach(function (name) {
            var value = translate(el.getAttribute(name));
            if (value) { el.setAttribute(name, value); }
        });
        for (var n = el.firstChild; n; n = n.nextSibling) {
            var text = n.nodeType === 3 && TEXTS[n.nodeValue.trim()];
            if (text) { n.nodeValue = text; }
        }
    }
    var pending = false;
    function run() {
        pending = false;
        document.querySelectorAll(SELECTOR).forEach(swedish);
    }
    function schedule() {
        if (!pending) { pending = true; window.requestAnimationFrame(run); }
    }
    function start() {
        new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true,
                                                               characterData: true, attributes: true,
                                                               attributeFilter: ['aria-label', 'title']});
        run();
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
