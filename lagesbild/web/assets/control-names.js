/* Names for the filter bars' controls. Each control is a label over a dcc.Dropdown, RadioItems, Checklist
   or date picker (components.control), but the label is not tied to anything: react-select's input and a
   group of radio buttons cannot be given a label's "for" from Dash, so a screen reader said "kombinationsruta"
   with no name. The label gets an id, the control's text input (or the dropdown's combobox) is labelled
   by it, and a group of radio buttons or check boxes becomes a named radiogroup/group. Run again whenever
   Dash redraws part of the page. */
(function () {
    let counter = 0, queued = false;
    function name(control) {
        const label = control.querySelector(':scope > .control-label');
        if (!label) { return; }
        if (!label.id) { label.id = 'lb-control-label-' + (++counter); }
        // a disabled dropdown's combobox is a div, not an input
        control.querySelectorAll('input:not([type="radio"]):not([type="checkbox"]):not([type="hidden"]), '
                                 + '[role="combobox"]')
            .forEach(function (input) {
                if (!input.getAttribute('aria-label') && input.getAttribute('aria-labelledby') !== label.id) {
                    input.setAttribute('aria-labelledby', label.id);
                }
            });
        const choices = control.querySelectorAll('input[type="radio"], input[type="checkbox"]');
        if (choices.length) {
            const group = choices[0].closest('.radio, .dash-radioitems, .dash-checklist')
                || choices[0].parentElement.parentElement;
            if (group && group !== control && group.getAttribute('aria-labelledby') !== label.id) {
                group.setAttribute('role', choices[0].type === 'radio' ? 'radiogroup' : 'group');
                group.setAttribute('aria-labelledby', label.id);
            }
        }
    }
    function run() {
        queued = false;
        document.querySelectorAll('.control').forEach(name);
    }
    new MutationObserver(function () {
        if (!queued) { queued = true; window.requestAnimationFrame(run); }
    }).observe(document.documentElement, {childList: true, subtree: true});
})();
