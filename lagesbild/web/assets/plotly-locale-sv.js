/* Swedish locale for plotly: modebar texts, month and day names. Registered before or after plotly.js
   loads; selected by config.locale = "sv". Numbers get their decimal comma and space from each figure's
   layout.separators (", "): do not add "decimal"/"thousands" here, they stop maps from rendering.
   Charts also set their own Swedish tick labels, so exports look the same without this file. */
(function () {
    var locale = {
        moduleType: 'locale',
        name: 'sv',
        dictionary: {
            /* the modebar (plotly.js 3 says "PNG", earlier versions "png") */
            'Download plot as a PNG': 'Ladda ner diagrammet som PNG',
            'Download plot as a png': 'Ladda ner diagrammet som PNG',
            'Download plot': 'Ladda ner diagrammet',
            'Zoom': 'Zooma',
            'Pan': 'Panorera',
            'Zoom in': 'Zooma in',
            'Zoom out': 'Zooma ut',
            'Reset axes': 'Återställ axlarna',
            'Autoscale': 'Skala automatiskt',
            'Reset': 'Återställ',
            'Reset view': 'Återställ vyn',
            'Reset views': 'Återställ vyerna',
            'Box Select': 'Markera med rektangel',
            'Lasso Select': 'Markera med lasso',
            'Toggle Spike Lines': 'Visa eller dölj hjälplinjer',
            'Show closest data on hover': 'Visa närmaste värde vid hovring',
            'Compare data on hover': 'Jämför värden vid hovring',
            'Toggle show closest data on hover': 'Visa närmaste värde vid hovring av eller på',
            'Orbital rotation': 'Rotera runt',
            'Turntable rotation': 'Rotera som skivtallrik',
            'Reset camera to default': 'Återställ kameran',
            'Reset camera to last save': 'Återställ kameran till senast sparade',
            'Draw line': 'Rita linje',
            'Draw open freeform': 'Rita öppen frihandsform',
            'Draw closed freeform': 'Rita sluten frihandsform',
            'Draw rectangle': 'Rita rektangel',
            'Draw circle': 'Rita cirkel',
            'Erase active shape': 'Radera markerad form',
            /* messages */
            'Double-click to zoom back out': 'Dubbelklicka för att zooma ut igen',
            'Double-click on legend to isolate one trace': 'Dubbelklicka på förklaringen för att visa en serie',
            'Click to enter Plot title': 'Klicka för att skriva diagrammets rubrik',
            'Produced with Plotly.js': 'Skapad med Plotly.js',
            'Taking snapshot - this may take a few seconds': 'Sparar bilden – det kan ta några sekunder',
            'Snapshot succeeded': 'Bilden är sparad',
            'Sorry, there was a problem downloading your snapshot!': 'Bilden kunde inte laddas ner.',
            /* hover labels of box plots, histograms and maps */
            'max:': 'max:', 'min:': 'min:', 'mean:': 'medel:', 'median:': 'median:',
            'lat:': 'lat:', 'lon:': 'lon:', 'trace': 'serie', 'new text': 'ny text'
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
