'use strict';
// plotly.js with only the trace types the dashboard draws (mission/charts/): a third of the full bundle's size.
// `make plotly-bundle` builds assets/vendor/plotly-traces.min.js from it; tests/unit/test_plotly_bundle.py checks
// that every trace type the app draws is registered here and that the version matches plotly.py's.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/waterfall'),
]);

// Month and day names, and the modebar's words, in the languages of the interface (i18n.LANGUAGES; English is
// built in): dcc.Graph's config names the reader's language.
Plotly.register([
    require('plotly.js/lib/locales/fr'),
    require('plotly.js/lib/locales/de'),
    require('plotly.js/lib/locales/it'),
    require('plotly.js/lib/locales/es'),
    require('plotly.js/lib/locales/pl'),
]);

module.exports = Plotly;
