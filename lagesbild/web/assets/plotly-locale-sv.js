/* Swedish locale for plotly: modebar texts, month and day names. Registered before or after plotly.js
   loads; selected by config.locale = "sv". Numbers get their decimal comma and space from each figure's
   layout.separators (", "): do not add "decimal"/"thousands" here, they stop maps from rendering.
   Charts also set their own Swedish tick labels, so exports look the same without this file. */
(function () {
    var locale = {
        moduleType: 'locale',
        name: 'sv',
        dictionary: {
            'Download plot as a png': 'Ladda ner diagrammet som PNG',
            'Download plot': 'Ladda ner diagrammet',
            'Zoom': 'Zooma',
            'Pan': 'Panorera',
            'Zoom in': 'Zooma in',
            'Zoom out': 'Zooma ut',
            'Reset axes': 'Återställ axlar',
            'Autoscale': 'Autoskala',
            'Reset view': 'Återställ vyn',
            'Box Select': 'Markera med rektangel',
            'Lasso Select': 'Markera med lasso',
            'Toggle Spike Lines': 'Visa/dölj stödlinjer',
            'Show closest data on hover': 'Visa närmaste värde',
            'Compare data on hover': 'Jämför värden',
            'Double-click to zoom back out': 'Dubbelklicka för att zooma ut igen',
            'Produced with Plotly.js': 'Skapad med Plotly.js',
            'Taking snapshot - this may take a few seconds': 'Sparar bilden – det kan ta några sekunder'
        },
        format: {
            days: ['söndag', 'måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag'],
            shortDays: ['sön', 'mån', 'tis', 'ons', 'tor', 'fre', 'lör'],
            months: ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti',
                     'september', 'oktober', 'november', 'december'],
            shortMonths: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
            date: '%Y-%m-%d'
        }
    };
    if (typeof window.Plotly === 'undefined') {
        window.PlotlyLocales = window.PlotlyLocales || [];
        window.PlotlyLocales.push(locale);
    } else {
        window.Plotly.register(locale);
    }
})();
