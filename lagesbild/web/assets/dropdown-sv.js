/* Swedish texts for the dropdowns (dcc.Dropdown). The component has no property for its own texts:
   "No results found" when a typed name matches nothing, "Select..." with no placeholder set, and the
   "Clear all" / "Clear value" tooltip of the × that empties it. They are rewritten where they appear:
   a text node's value is changed in place (React keeps its node), an attribute is set again. */
(function () {
    var TEXTS = {
        'No results found': 'Inga träffar',
        'Select...': 'Välj …',
        'Clear all': 'Rensa alla',
        'Clear value': 'Rensa',
        'Loading...': 'Laddar …'
    };
    var SELECTOR = '.Select-noresults, .Select-placeholder, .Select-clear-zone, .Select-loading-zone';
    function swedish(el) {
        ['title', 'aria-label'].forEach(function (name) {
            var value = el.getAttribute(name);
            if (value && TEXTS[value]) { el.setAttribute(name, TEXTS[value]); }
        });
        for (var n = el.firstChild; n; n = n.nextSibling) {
            if (n.nodeType === 3 && TEXTS[n.nodeValue.trim()]) { n.nodeValue = TEXTS[n.nodeValue.trim()]; }
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
                                                               characterData: true});
        run();
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
