/* Meeting mode: the place page's grid of four panels fills the screen under the controls, whatever
   their height (wrapped category chips, a two-line demo banner). Sets --grid-height on each
   .meeting-grid to the viewport's height below its top; style.css uses it. A table panel whose
   content is taller than its half gets a taller first row (fitTable), and a smaller text when that is
   not enough (shrink); one too wide lets its verdicts wrap (fitWidth). Any other table wider than the
   screen gets a smaller text (fitWide). Re-measured when the page changes or the window is resized. */
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
            fitLabels(grid);
        });
        document.querySelectorAll('.app.meeting .dash-table-container').forEach(fitWide);
    }
    /* A table outside the place page's grid (Översikt's matrix with a column per category, Jämför's,
       Sedan sist's) wider than the screen, which a wall cannot scroll: its cells get less padding at
       their sides and then its text gets smaller, step by step down to WIDE_MIN of its size (or to
       WIDE_MIN_PX, when that is smaller: below 1,900 px meeting tables start at 18 px, and Översikt's
       nineteen categories on 1,366 px need the 9 px they had when they started at 14 px), until
       every column is on the screen. Set inline and
       !important, as style.css sets the meeting mode's table sizes !important; a style, not a class,
       so the MutationObserver below does not measure again because of it. */
    var WIDE_MIN = 0.65, WIDE_MIN_PX = 9;
    function fitWide(box) {
        if (box.closest('.meeting-grid')) { return; }
        var inner = box.querySelector('.dash-spreadsheet-container') || box;
        box.style.removeProperty('font-size');
        delete box.dataset.tight;
        if (inner.scrollWidth <= inner.clientWidth + 1) { return; }
        box.dataset.tight = '1';  /* first the cells' side padding (style.css), then the text */
        var base = parseFloat(getComputedStyle(box).fontSize);
        var scale = 1, least = Math.min(WIDE_MIN, WIDE_MIN_PX / base);
        while (inner.scrollWidth > inner.clientWidth + 1 && scale > least + 0.001) {
            scale = Math.round((scale - 0.05) * 100) / 100;
            box.style.setProperty('font-size', (base * scale).toFixed(2) + 'px', 'important');
        }
    }
    /* A chart panel that needs more height than the grid gives it grows, and the page scrolls down
       (never sideways), rather than plotly leaving labels out or drawing them over each other, or its
       margins leaving no plot (panelNeed): in two columns the row (and the grid) gets the height its
       panels need; in one column (style.css gives each chart panel a fixed height) the panel itself. */
    function fitLabels(grid) {
        var panels = Array.prototype.slice.call(grid.children);
        if (getComputedStyle(grid).gridTemplateColumns.split(' ').length < 2) {
            panels.forEach(function (panel) {
                panel.style.removeProperty('height');
                var need = panelNeed(panel);
                if (need > panel.clientHeight + 1) { panel.style.setProperty('height', Math.ceil(need) + 'px'); }
            });
            return;
        }
        var rows = getComputedStyle(grid).gridTemplateRows.split(' ').map(parseFloat);
        if (rows.length !== 2) { return; }
        var first = Math.max(rows[0], firstNeed(grid)), second = Math.max(rows[1], secondNeed(grid));
        if (first > rows[0] + 1 || second > rows[1] + 1) {
            first = Math.ceil(first);
            second = Math.ceil(second);
            grid.style.setProperty('grid-template-rows', first + 'px ' + second + 'px');
            grid.style.setProperty('--grid-height', (first + ROW_GAP + second) + 'px');
        }
    }
    /* A table panel (the comparison with its notes) taller than its half of the grid gets the first
       row's height it needs, up to MAX_TABLE of the grid, instead of a scroll bar a wall screen cannot
       use; the charts of the second row give the room, but never below what their category labels
       need (labelNeed). A plot too low under its margins does not take the table's room (its text
       would shrink): fitLabels lets that row grow and the page scroll down instead. */
    var MAX_TABLE = 0.6;
    var ROW_GAP = 10;  /* the grid's gap, style.css */
    function fitTable(grid, height) {
        var card = grid.querySelector(':scope > .table-card');
        if (!card) { return; }
        card.style.removeProperty('--table-scale');
        fitWidth(card);
        grid.style.removeProperty('grid-template-rows');
        if (getComputedStyle(grid).gridTemplateColumns.split(' ').length < 2) { return; }  /* one column */
        var need = card.scrollHeight + 2;
        var half = (height - ROW_GAP) / 2;
        var room = Math.min(Math.floor(height * MAX_TABLE), height - ROW_GAP - secondNeed(grid, labelNeed));
        if (need > half && room > half) {
            grid.style.setProperty('grid-template-rows', Math.min(need, room) + 'px minmax(0, 1fr)');
        }
        shrink(card);
    }
    /* A table still taller than its panel (nine categories and their notes on 1080 px) gets a smaller
       text, step by step down to MIN_SCALE of its size (style.css multiplies the table's and the notes'
       font size by --table-scale), rather than rows hidden under the panel's edge. A style property,
       not a class, for the same reason as fitWidth's data attribute. */
    var MIN_SCALE = 0.7;
    function shrink(card) {
        var scale = 1;
        while (card.scrollHeight > card.clientHeight + 1 && scale > MIN_SCALE + 0.001) {
            scale = Math.round((scale - 0.05) * 100) / 100;
            card.style.setProperty('--table-scale', String(scale));
        }
    }
    /* A verdict column kept to one line makes a table of four periods wider than its card, which a
       wall screen cannot scroll: measured with one-line verdicts, such a card gets data-wrap (style.css
       then lets the verdicts wrap). A data attribute, not a class: the MutationObserver below watches
       classes, and re-measuring must not schedule itself again. */
    function fitWidth(card) {
        delete card.dataset.wrap;
        var wide = Array.prototype.some.call(card.querySelectorAll('.dash-spreadsheet-container'),
            function (box) { return box.scrollWidth > box.clientWidth + 1; }) ||
            card.scrollWidth > card.clientWidth + 1;
        if (wide) { card.dataset.wrap = '1'; }
    }
    /* The height the second row's panels need (by panelNeed, or the measure given); 0 before plotly
       has drawn. */
    function secondNeed(grid, measure) {
        var need = 0;
        Array.prototype.slice.call(grid.children, 2).forEach(function (panel) {
            need = Math.max(need, (measure || panelNeed)(panel));
        });
        return need;
    }
    /* The height the first row's chart (beside the table) needs (panelNeed). */
    function firstNeed(grid) {
        return grid.children.length > 1 ? panelNeed(grid.children[1]) : 0;
    }
    /* The height a chart panel needs: the category labels' (labelNeed) or a plot to read (plotNeed). */
    function panelNeed(panel) {
        return Math.max(labelNeed(panel), plotNeed(panel));
    }
    /* A chart's margins are fixed by its labels (a year chart's upright "2022–2023 (data saknas för
       1 mån)" takes 235 px under it): its panel needs those margins, the panel around the chart and a
       plot of MIN_PLOT px, or as high as its legend beside the plot (plotly would give the legend a
       scroll bar, which a wall cannot use); 0 before plotly has drawn. */
    var MIN_PLOT = 170;
    function plotNeed(panel) {
        var gd = panel.querySelector('.js-plotly-plot');
        var full = gd && gd._fullLayout;
        if (!full || !full._size) { return 0; }
        var legend = full.showlegend && full.legend && full.legend.orientation === 'v' ? full.legend._height || 0 : 0;
        var around = panel.clientHeight - gd.clientHeight;
        return full._size.t + full._size.b + around + Math.max(MIN_PLOT, legend);
    }
    /* plotly gives every category the same height: each needs the lines of the longest label (a
       question wrapped with <br>) and a gap, lagesbild.figures.survey.ROW_GAP */
    var LABEL_GAP = 9;
    function labelNeed(panel) {
        var gd = panel.querySelector('.js-plotly-plot');
        var full = gd && gd._fullLayout;
        var axis = full && full.yaxis;
        if (!axis || axis.type !== 'category' || !axis._categories) { return 0; }
        var size = (axis.tickfont && axis.tickfont.size) || 14;
        var margins = full._size ? full._size.t + full._size.b : full.margin.t + full.margin.b;
        var around = panel.clientHeight - gd.clientHeight;
        var lines = axis._categories.reduce(function (most, c) {
            return Math.max(most, String(c).split(/<br\s*\/?>/i).length);
        }, 1);
        return margins + around + axis._categories.length * (lines * 1.3 * size + LABEL_GAP);
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
