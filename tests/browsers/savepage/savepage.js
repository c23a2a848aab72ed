// Saves seeded TF.js models to indexeddb:// and localstorage:// and prints one report line:
//   TFJS-REPORT {"models":[{"url", "name", "sha256", "weightBytes", "topology", "input",
//                           "prediction"}...]}
// (prediction: the model's output for the one-row `input`, to compare with what a reader
// exports and TF.js loads again)
// then TFJS-DONE (or TFJS-ERROR <message>), and closes its window, which is what makes the
// browser flush localStorage to disk. With ?stay=1 in the URL it stays open after the report
// (to test reading a profile while the browser runs); ?many=N saves N more tiny models
// ("many-0" ...) to indexeddb:// only (a profile with many models, for listing speed).
// Output goes to dump() where the browser has it (Firefox, with browser.dom.window.dump.enabled)
// and to console.log (Chromium prints it with --enable-logging=stderr).
'use strict';

function emit(line) {
    if (typeof dump === 'function')
        dump(line + '\n');
    console.log(line);
}

// ?big=N (benchmarks): one more model 'big' of N MiB in indexeddb://. Chromium writes such a
// value's blob file after save() resolves, so the page then waits 15 s before closing.
const BIG_MIB = Number(new URLSearchParams(location.search).get('big') || 0);

// Models by name: units of a dense layer on `inputs` inputs, kernel seeded (or all zeros).
const MODELS = [
    {name: 'tiny', inputs: 4, units: 3, seed: 1, local: true},
    {name: 'medium', inputs: 100, units: 250, seed: 2, local: true},       // ~100 KB
    {name: 'large', inputs: 500, units: 1000, seed: 3, local: false},     // ~2 MB: external file
    {name: 'zeros', inputs: 8, units: 8, seed: null, local: true},
    {name: 'zeros-wide', inputs: 250, units: 100, seed: null, local: false}, // ~100 KB of zeros: Chromium keeps it inline, snappy-compressed
    {name: 'модель/ünïcödé', inputs: 3, units: 2, seed: 4, local: true},
    {name: 'emoji-🧠🚀', inputs: 2, units: 5, seed: 5, local: true},
];

function build(spec) {
    const init = spec.seed === null ? 'zeros' : tf.initializers.randomNormal({seed: spec.seed});
    const model = tf.sequential();
    model.add(tf.layers.dense({
        units: spec.units, inputShape: [spec.inputs], kernelInitializer: init,
        biasInitializer: spec.seed === null ? 'zeros' : tf.initializers.randomUniform({seed: spec.seed + 100}),
        activation: 'relu'}));
    return model;
}

function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function weightsOf(model) {
    let captured = null;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
        captured = artifacts;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    return captured;
}

async function main() {
    await tf.setBackend('cpu');
    const report = {models: []};
    const many = Number(new URLSearchParams(location.search).get('many') || 0);
    const specs = MODELS.concat(Array.from({length: many}, (_, i) => (
        {name: 'many-' + i, inputs: 3, units: 2, seed: 1000 + i, local: false})));
    if (BIG_MIB > 0) // one dense kernel of BIG_MIB MiB (1024 x 256 float32 per MiB)
        specs.push({name: 'big', inputs: 1024, units: 256 * BIG_MIB, seed: 7, local: false});
    for (const spec of specs) {
        const model = build(spec);
        const artifacts = await weightsOf(model);
        const sha256 = hex(await crypto.subtle.digest('SHA-256', artifacts.weightData));
        const input = Array.from({length: spec.inputs}, (_, i) => (i + 1) / spec.inputs - 0.4);
        const prediction = Array.from(model.predict(tf.tensor2d([input])).dataSync());
        const urls = ['indexeddb://' + spec.name];
        if (spec.local)
            urls.push('localstorage://' + spec.name);
        for (const url of urls) {
            await model.save(url);
            report.models.push({url, name: spec.name, sha256,
                                weightBytes: artifacts.weightData.byteLength,
                                topology: artifacts.modelTopology, input, prediction});
        }
    }
    emit('TFJS-REPORT ' + JSON.stringify(report));
    emit('TFJS-DONE');
}

main().catch((e) => emit('TFJS-ERROR ' + (e && e.stack ? e.stack : e))).finally(() => {
    if (!new URLSearchParams(location.search).has('stay'))
        setTimeout(() => window.close(), BIG_MIB > 0 ? 15000 : 200);
});
