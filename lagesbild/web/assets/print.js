/* Print view (Översikt, Plats): A4 landscape, see style-print.css (named to load after style.css).
   Before printing (the browser's print, "Skriv ut" or a PDF printer) every chart is drawn again at the
   width of the printed page, then restored. Plotly draws SVG at a fixed pixel width, so CSS alone
   cannot fit a chart drawn for a 1920 px screen onto a 277 mm line. */
(function () {
    'use strict';
    const MM = 96 / 25.4;                 // CSS px per millimetre
    const CONTENT_WIDTH = (297 - 2 * 10) * MM;  // A4 landscape minus the 10 mm margins of @page
    const CARD_INSET = 30;                // the chart card's padding and border in style-print.css
    const PAGE_HEIGHT = (210 - 2 * 10) * MM;   // the printed page's height
    const MAX_HEIGHT = Math.floor(PAGE_HEIGHT - 40);  // a chart never taller than a page (card inset)
    const saved = [];

    function charts() {
        return Array.from(document.querySelectorAll('#_pages_content .js-plotly-plot'));
    }

    function prepare() {
        if (!window.Plotly || document.documentElement.classList.contains('lb-printing')) { return; }
        document.documentElement.classList.add('lb-printing');
        const width = Math.floor(CONTENT_WIDTH - CARD_INSET);
        for (const gd of charts()) {
            if (!gd._fullLayout) { continue; }
            saved.push({gd: gd, width: gd.layout.width, height: gd.layout.height,
                        autosize: gd.layout.autosize});
            window.Plotly.relayout(gd, {width: width, height: Math.min(gd._fullLayout.height, MAX_HEIGHT),
                                        autosize: false});
        }
    }

    function restore() {
        document.documentElement.classList.remove('lb-printing');
        while (saved.length) {
            const s = saved.pop();
            if (!document.body.contains(s.gd)) { continue; }
            window.Plotly.relayout(s.gd, {width: s.width === undefined ? null : s.width,
                                          height: s.height === undefined ? null : s.height,
                                          autosize: s.autosize === undefined ? true : s.autosize});
            if (window.Plotly.Plots && window.Plotly.Plots.resize) { window.Plotly.Plots.resize(s.gd); }
        }
    }

    window.addEventListener('beforeprint', prepare);
    window.addEventListener('afterprint', restore);
    window.lagesbildPrint = {prepare: prepare, restore: restore, contentWidth: CONTENT_WIDTH,
                             print: function () { prepare(); window.print(); }};
})();
