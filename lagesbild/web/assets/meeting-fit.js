/* Meeting mode: the place page's grid of four panels fills the screen under the controls, whatever
   their height (wrapped category chips, a two-line demo banner). Sets --grid-height on each
   .meeting-grid to the viewport's height below its top; style.css uses it. A table panel whose
   content is taller than its half gets a taller first row (fitTable). Re-measured when the page
   changes or the window is resized. */
(function () {
    var GAP = 10;       /* px left free under the grid */
    var MIN = 2 * 300;  /* never less than two rows of 300 px (a low window scrolls instead) */
    var pending = false;
    function fit() {
        pending = false;
        document.querySelectorAll('.app.meeting .meeting-grid').forEach(function (grid) {
            var top = grid.getBoundingClientRect().top + window.scrollY;
            var value = Math.max(Math.floor(window.innerHeight - top - GAP), MIN) + 'px';
            if (grid.style.getPropertyValue('--grid-height') !== value) {
                grid.style.setProperty('--grid-height', value);
            }
            fitTable(grid, parseInt(value, 10));
        });
    }
    /* A table panel (the comparison with its notes) taller than its half of the grid gets the first
       row's height it needs, up to MAX_TABLE of the grid, instead of a scroll bar a wall screen cannot
       use; the charts of the second row, which fit any height, give the room. */
    var MAX_TABLE = 0.6;
    function fitTable(grid, height) {
        var card = grid.querySelector(':scope > .table-card');
        if (!card) { return; }
        grid.style.removeProperty('grid-template-rows');
        if (getComputedStyle(grid).gridTemplateColumns.split(' ').length < 2) { return; }  /* one column */
        var need = card.scrollHeight + 2;
        var half = (height - GAP) / 2;
        if (need > half) {
            var rows = Math.min(need, Math.floor(height * MAX_TABLE)) + 'px minmax(0, 1fr)';
            grid.style.setProperty('grid-template-rows', rows);
        }
    }
    function schedule() {
        if (!pending) { pending = true; window.requestAnimationFrame(fit); }
    }
    function start() {
        new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true,
                                                               attributes: true, attributeFilter: ['class']});
        if (window.ResizeObserver) { new ResizeObserver(schedule).observe(document.body); }
        window.addEventListener('resize', schedule);
        schedule();
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
