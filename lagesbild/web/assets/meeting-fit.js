/* Meeting mode: the place page's grid of four panels fills the screen under the controls, whatever
   their height (wrapped category chips, a two-line demo banner). Sets --grid-height on each
   .meeting-grid to the viewport's height below its top; style.css uses it. Re-measured when the page
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
        });
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
