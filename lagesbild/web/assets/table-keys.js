/* Keyboard use of the tables. Dash's DataTable handles Tab, Enter and the arrow keys pressed anywhere
   inside it to move its own "active cell", and calls preventDefault even when no cell is active: a link in
   a cell (Översikt's and Åtgärdsplan's places) kept the focus for every further Tab (a keyboard trap) and
   Enter on it did nothing. Every table of the dashboard is read-only, so Tab (with or without Shift) moves
   the focus as on the rest of the page, and Enter on a link or button in a cell follows it: the key is
   stopped on its way down (capture phase on the document) before it reaches React's listeners, and the
   browser's own default action is left to happen. */
(function () {
    document.addEventListener('keydown', function (e) {
        const target = e.target;
        if (!target || !target.closest || !target.closest('.dash-spreadsheet')) { return; }
        if (target.closest('.dash-filter, input, textarea')) { return; }  // a filter field keeps its keys
        const follow = e.key === 'Enter' && target.closest('a[href], button');
        if (e.key === 'Tab' || follow) { e.stopPropagation(); }
    }, true);
})();
